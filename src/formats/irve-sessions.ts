import { sha256Hex } from '../util/hash.js';
import { FORMAT_CODE, formatRejection } from './format-codes.js';
import { isPlainObject, nonEmptyString, operationOfEnergy, rfc3339ToSeconds, roundHalfAway, type PlatformParseResult, type PlatformRecord, type SessionRejection } from './platform-record.js';
import { parseJsonOrNdjson } from './json-text.js';

/**
 * QualiCharge / IRVE dynamic session records (NDJSON, or a JSON array): `id_pdc_itinerance`, `start` and
 * `end` in epoch milliseconds (ISO strings accepted too), `energy` in kWh. There is no meter index, so each
 * becomes an operation 0 → energy × 1000 Wh (protocol.md, "Interoperability platforms").
 */
export function parseIrveSessions(text: string): PlatformParseResult {
  const parsed = parseJsonOrNdjson(text);
  if (parsed.fileError) return { records: [], rejections: [], received: 0, fileError: parsed.fileError };
  let values = parsed.values;
  if (!parsed.isNdjson) {
    const document = values[0];
    if (Array.isArray(document)) values = document;
    else if (isPlainObject(document) && Array.isArray(document.data)) values = document.data;
    else if (isPlainObject(document)) values = [document];
    else return { records: [], rejections: [], received: 0, fileError: { code: 101, message: 'an IRVE sessions file holds NDJSON records or an array of them' } };
  }
  const result: PlatformParseResult = { records: [], rejections: [], received: values.length + parsed.badLines.length };
  for (const raw of values) {
    const outcome = mapIrveSession(raw);
    if ('code' in outcome) result.rejections.push(outcome);
    else result.records.push(outcome);
  }
  for (const bad of parsed.badLines) result.rejections.push({ code: 103, message: `line ${bad.line} is not valid JSON`, raw: bad.text });
  return result;
}

/** Epoch milliseconds (number or numeric string) or an RFC 3339 string → UNIX seconds. */
function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? roundHalfAway(value / 1000) : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return roundHalfAway(Number(value) / 1000);
  return rfc3339ToSeconds(value);
}

/**
 * A session id that survives re-exports: the record's own `id` when it has one, else a hash of what makes
 * the session (charge point, start, end in ms as sent), so ingesting the same file twice gives the same keys.
 */
export function irveTransactionId(stationId: string, start: unknown, end: unknown): string {
  const digest = sha256Hex(`${stationId}|${String(start)}|${String(end)}`);
  return `irve-${digest.slice(0, 32)}`;
}

export function mapIrveSession(raw: unknown): PlatformRecord | SessionRejection {
  if (!isPlainObject(raw)) return formatRejection(FORMAT_CODE.NOT_AN_OBJECT, raw, {});
  const stationId = nonEmptyString(raw.id_pdc_itinerance);
  if (!stationId) return formatRejection(FORMAT_CODE.MISSING_FIELD, raw, {}, 'no id_pdc_itinerance');
  if (raw.start === undefined || raw.start === null || raw.end === undefined || raw.end === null) {
    return formatRejection(FORMAT_CODE.MISSING_FIELD, raw, { stationId }, 'start and end are required');
  }
  const startS = toSeconds(raw.start);
  const stopS = toSeconds(raw.end);
  if (startS === undefined || stopS === undefined) {
    return formatRejection(FORMAT_CODE.INVALID_DATETIME, raw, { stationId, transactionId: nonEmptyString(raw.id) }, 'start or end is not epoch ms or RFC 3339');
  }
  // start/end are numbers or strings here (toSeconds accepted them), so the hash input is well defined.
  const transactionId = nonEmptyString(raw.id) ?? irveTransactionId(stationId, raw.start, raw.end);
  const energyKwh = typeof raw.energy === 'string' ? Number(raw.energy) : raw.energy;
  if (typeof energyKwh !== 'number' || !Number.isFinite(energyKwh)) {
    return formatRejection(FORMAT_CODE.MISSING_FIELD, raw, { stationId, transactionId, startS, stopS }, 'energy (kWh) is not a number');
  }
  return {
    stationId,
    transactionId,
    session: operationOfEnergy(startS, stopS, energyKwh),
    raw,
  };
}
