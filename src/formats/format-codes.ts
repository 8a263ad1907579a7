import { registerSessionCodes, type SessionCode } from '../ingest/codes.js';
import type { SessionRejection } from './platform-record.js';

/**
 * Session refusals specific to the platform formats (OCPI, IRVE), in the 230..259 block that
 * src/ingest/codes.ts reserves for src/formats. Documented in docs/error-codes.md and docs/formats.md.
 */
export const FORMAT_CODE = {
  /** OCPI mod_cdrs: `credit: true` corrects an earlier CDR; counting it would count the charge twice. */
  CREDIT_CDR: 230,
  MISSING_FIELD: 231,
  ENERGY_MISMATCH: 232,
  SESSION_NOT_COMPLETED: 233,
  INVALID_DATETIME: 234,
  NOT_AN_OBJECT: 235,
} as const;

export const FORMAT_CODES: readonly SessionCode[] = [
  {
    code: FORMAT_CODE.CREDIT_CDR,
    name: 'CREDIT_CDR',
    message: 'credit CDR: it cancels an earlier CDR and is not counted as a charge (the original stays counted once)',
  },
  {
    code: FORMAT_CODE.MISSING_FIELD,
    name: 'MISSING_FIELD',
    message: 'a field the mapping needs (charge point id, start, end, energy) is missing or has the wrong type',
  },
  {
    code: FORMAT_CODE.ENERGY_MISMATCH,
    name: 'ENERGY_MISMATCH',
    message: 'the ENERGY charging periods agree with total_energy neither in kWh nor in Wh',
  },
  {
    code: FORMAT_CODE.SESSION_NOT_COMPLETED,
    name: 'SESSION_NOT_COMPLETED',
    message: 'OCPI Session not COMPLETED: the charge has not ended, wait for its CDR',
  },
  { code: FORMAT_CODE.INVALID_DATETIME, name: 'INVALID_DATETIME', message: 'a date-time is not RFC 3339 / epoch milliseconds' },
  { code: FORMAT_CODE.NOT_AN_OBJECT, name: 'NOT_AN_OBJECT', message: 'a record is not a JSON object' },
];

registerSessionCodes(FORMAT_CODES);

/** A rejection with the catalogue message of `code`, naming what is known of the session. */
export function formatRejection(
  code: number,
  raw: unknown,
  fields: { stationId?: string; transactionId?: string; startS?: number; stopS?: number },
  detail?: string,
): SessionRejection {
  const base = FORMAT_CODES.find((entry) => entry.code === code)?.message ?? `code ${code}`;
  const rejection: SessionRejection = { code, message: detail ? `${base} (${detail})` : base, raw };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(rejection, { [key]: value });
  return rejection;
}
