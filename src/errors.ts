/**
 * One catalogue of the product's stable error codes (house style: tests assert codes, not messages).
 *
 * Two families live here:
 * - command errors (`error[CODE]: message` on stderr, with an exit code), and
 * - session rejection codes of the Advenir protocol (numbers: 101..203 from the specification, 204+ ours),
 *   which are documented in docs/error-codes.md.
 */

/** Exit codes: 0 ok, 1 data/runtime error, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_DATA = 1;
export const EXIT_USAGE = 2;

export const COMMAND_ERRORS = {
  USAGE: { exitCode: EXIT_USAGE, summary: 'invalid command line' },
  INVALID_MONTH: { exitCode: EXIT_USAGE, summary: 'a month must be written YYYY-MM' },
  INVALID_CONFIG: { exitCode: EXIT_USAGE, summary: 'the configuration file or a parameter is invalid' },
  NO_DATA_FOR_MONTH: { exitCode: EXIT_DATA, summary: 'the store holds no session for the month' },
  CARBON_MISSING: { exitCode: EXIT_DATA, summary: 'too much EV energy falls in slots without carbon intensity' },
  FILE_NOT_FOUND: { exitCode: EXIT_DATA, summary: 'an input file does not exist' },
  FILE_UNREADABLE: { exitCode: EXIT_DATA, summary: 'an input file cannot be read or parsed' },
  UNKNOWN_FORMAT: { exitCode: EXIT_DATA, summary: 'the format of an input file is not recognised' },
  STORE_LOCKED: { exitCode: EXIT_DATA, summary: 'another process holds the store' },
  STORE_PURGED: { exitCode: EXIT_DATA, summary: 'the store was purged at the end of the programme' },
  STORE_NOT_FOUND: { exitCode: EXIT_DATA, summary: 'the data folder holds no store (a mistyped --data-dir?)' },
  PURGE_NOT_CONFIRMED: { exitCode: EXIT_USAGE, summary: 'purge needs typed confirmation on a terminal, or --yes' },
  PURGE_KEPT_DATA_UNSAFE: { exitCode: EXIT_DATA, summary: 'a kept table or report names an identifier; nothing was purged' },
  PURGE_VERIFICATION_FAILED: { exitCode: EXIT_DATA, summary: 'individual data remain after the purge; no certificate written' },
  STORE_ERROR: { exitCode: EXIT_DATA, summary: 'the store reported an error' },
  DATA_TEST_FAILED: { exitCode: EXIT_DATA, summary: 'a data test found offending rows' },
  OPERATOR_EXISTS: { exitCode: EXIT_USAGE, summary: 'an operator account with this login already exists' },
  OPERATOR_NOT_FOUND: { exitCode: EXIT_USAGE, summary: 'no operator account has this login' },
  SERVE_FAILED: { exitCode: EXIT_DATA, summary: 'the collection service could not start (address in use, TLS files, state)' },
  REPORT_INPUT_MISSING: { exitCode: EXIT_DATA, summary: 'a published table the HTML report is built from is missing or unreadable' },
  INTERNAL: { exitCode: EXIT_DATA, summary: 'unexpected internal error' },
} as const;

export type CommandErrorCode = keyof typeof COMMAND_ERRORS;

export class AppError extends Error {
  readonly code: CommandErrorCode;
  readonly exitCode: number;
  readonly details?: Record<string, unknown>;

  constructor(code: CommandErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.exitCode = COMMAND_ERRORS[code].exitCode;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping the original as `cause`. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message, { cause: error });
}
