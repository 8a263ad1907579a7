import { isAppError, toAppError } from '../errors.js';

/**
 * The one output module: data to stdout, messages and progress to stderr.
 * `--json` prints one JSON document to stdout; errors become `{"error", "code"}` on stderr in that mode.
 */
export interface Output {
  json: boolean;
  /** A result: pretty text for a person, or JSON with --json. */
  result(value: unknown, text: () => string): void;
  /** A message for the person at the terminal (stderr). */
  info(message: string): void;
  warn(message: string): void;
  /** A progress line, shown only on a terminal and overwritten in place. */
  progress(message: string): void;
  endProgress(): void;
}

export function createOutput(options: { json?: boolean } = {}, streams = { stdout: process.stdout, stderr: process.stderr }): Output {
  const json = Boolean(options.json);
  const isTty = Boolean(streams.stderr.isTTY);
  let progressShown = false;
  return {
    json,
    result(value, text) {
      streams.stdout.write(json ? `${JSON.stringify(value, jsonReplacer)}\n` : `${text()}\n`);
    },
    info(message) {
      this.endProgress();
      streams.stderr.write(`${message}\n`);
    },
    warn(message) {
      this.endProgress();
      streams.stderr.write(`warning: ${message}\n`);
    },
    progress(message) {
      if (!isTty) return;
      streams.stderr.write(`\r\x1b[2K${message}`);
      progressShown = true;
    },
    endProgress() {
      if (!progressShown) return;
      streams.stderr.write('\r\x1b[2K');
      progressShown = false;
    },
  };
}

/** BIGINT values come back from DuckDB as bigint; JSON has no bigint. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Prints an error as `error[CODE]: message` (or JSON) and returns the exit code to use. */
export function reportError(error: unknown, json: boolean, stderr = process.stderr): number {
  const appError = toAppError(error);
  if (json) {
    stderr.write(`${JSON.stringify({ error: appError.message, code: appError.code, details: appError.details }, jsonReplacer)}\n`);
  } else {
    stderr.write(`error[${appError.code}]: ${appError.message}\n`);
    if (!isAppError(error) && process.env.PIPELINE_DEBUG && error instanceof Error) stderr.write(`${error.stack}\n`);
  }
  return appError.exitCode;
}
