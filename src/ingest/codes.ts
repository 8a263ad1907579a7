/**
 * The catalogue of session outcome codes (documented in docs/error-codes.md).
 *
 * - 101..203 are the Advenir specification's codes (seed, "Codes erreurs"); 202 is a duplicate, counted apart.
 * - 204..229 are product codes for refusals the specification does not name (protocol.md, "Decision").
 * - 230..259 are reserved for format-specific refusals (OCPI CDRs, IRVE sessions), added by src/formats.
 * Tests assert codes, never message text.
 */
export interface SessionCode {
  code: number;
  name: string;
  message: string;
}

export const SESSION_CODES = [
  { code: 101, name: 'FORMAT', message: 'data not in the expected format' },
  { code: 103, name: 'JSON_PARSE', message: 'the JSON cannot be parsed' },
  { code: 104, name: 'INVALID_USER_ID', message: 'invalid UserID (a UUID is expected)' },
  { code: 201, name: 'INDEX_DECREASING', message: 'energy indices decrease while timestamps increase' },
  { code: 202, name: 'DUPLICATE', message: 'session already recorded' },
  { code: 203, name: 'GAP_OVER_12H', message: 'more than 12 h between two consecutive indices' },
  { code: 204, name: 'OPERATION_OVER_12H', message: 'an operation lasts more than 12 h; send it as a curve' },
  { code: 205, name: 'TOO_FEW_POINTS', message: 'a curve needs at least 3 points (start, end and one in between)' },
  { code: 206, name: 'STOP_NOT_AFTER_START', message: 'the session does not end after it starts' },
  { code: 207, name: 'NEGATIVE_ENERGY', message: 'StopValue is lower than StartValue' },
  { code: 208, name: 'POWER_ABOVE_CAPACITY', message: 'mean power above what the charge point can deliver' },
  { code: 209, name: 'UNKNOWN_CHARGE_POINT', message: 'charge point not in the registry yet; session held until it is' },
  { code: 210, name: 'TIMESTAMP_IN_FUTURE', message: 'a timestamp lies in the future' },
  { code: 211, name: 'BEFORE_PROGRAMME_START', message: 'a timestamp lies before the programme start' },
  { code: 212, name: 'MALFORMED_SESSION', message: 'the session is neither a curve nor an operation as the protocol defines them' },
  { code: 213, name: 'INVALID_IDENTIFIER', message: 'empty or over-long StationID or TransactionID' },
] as const satisfies readonly SessionCode[];

export type SessionCodeNumber = (typeof SESSION_CODES)[number]['code'];

const byCode = new Map<number, SessionCode>(SESSION_CODES.map((entry) => [entry.code, entry]));

/** The catalogue entry of a code, including codes added later by src/formats. */
export function sessionCode(code: number): SessionCode {
  return byCode.get(code) ?? { code, name: 'UNKNOWN', message: `code ${code}` };
}

/** Registers format-specific codes (230..259) without editing this table; the formats module calls it once. */
export function registerSessionCodes(codes: readonly SessionCode[]): void {
  for (const entry of codes) byCode.set(entry.code, entry);
}

export function allSessionCodes(): SessionCode[] {
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}

/** Named constants so that call sites read as rules, not numbers. */
export const CODE = {
  FORMAT: 101,
  JSON_PARSE: 103,
  INVALID_USER_ID: 104,
  INDEX_DECREASING: 201,
  DUPLICATE: 202,
  GAP_OVER_12H: 203,
  OPERATION_OVER_12H: 204,
  TOO_FEW_POINTS: 205,
  STOP_NOT_AFTER_START: 206,
  NEGATIVE_ENERGY: 207,
  POWER_ABOVE_CAPACITY: 208,
  UNKNOWN_CHARGE_POINT: 209,
  TIMESTAMP_IN_FUTURE: 210,
  BEFORE_PROGRAMME_START: 211,
  MALFORMED_SESSION: 212,
  INVALID_IDENTIFIER: 213,
} as const;

/** Default programme start for the "before the programme" rule: 2016-01-01T00:00:00Z (issue 3, configurable). */
export const DEFAULT_PROGRAMME_START_S = 1451606400;
/** Seed: "pas plus de 12h entre deux index" and operations of at most 12 h. */
export const MAX_GAP_S = 12 * 3600;
