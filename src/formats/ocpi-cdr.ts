import { FORMAT_CODE, formatRejection as reject } from './format-codes.js';
import {
  isPlainObject,
  nonEmptyString,
  operationOfEnergy,
  rfc3339ToSeconds,
  roundHalfAway,
  type AdvenirPoint,
  type PlatformParseResult,
  type PlatformRecord,
  type SessionRejection,
} from './platform-record.js';
import { parseJsonOrNdjson } from './json-text.js';
import { MAX_GAP_S } from '../ingest/codes.js';

/**
 * OCPI 2.2.1 CDRs (mod_cdrs) and COMPLETED Sessions (mod_sessions) → Advenir sessions, following
 * ../shared/fixtures/ocpi/MAPPING.md: evse_id is the StationID, id the TransactionID, ENERGY charging
 * periods give a curve by prefix sums when they yield ≥ 3 points, otherwise an operation 0 → total_energy.
 */

/** Σ ENERGY and total_energy agree within 0.5 % (or 1 Wh): the same tolerance decides kWh vs Wh. */
const RELATIVE_TOLERANCE = 0.005;
const ABSOLUTE_TOLERANCE_KWH = 0.001;

/** Text of a CDR file: one JSON document (object, array, {"data": ...} envelope) or NDJSON. */
export function parseOcpiCdrText(text: string): PlatformParseResult {
  const parsed = parseJsonOrNdjson(text);
  if (parsed.fileError) return { records: [], rejections: [], received: 0, fileError: parsed.fileError };
  const result = parsed.isNdjson ? parseRecordList(parsed.values) : parseOcpiCdrs(parsed.values[0]);
  for (const bad of parsed.badLines) {
    result.rejections.push({ code: 103, message: `line ${bad.line} is not valid JSON`, raw: bad.text });
    result.received += 1;
  }
  return result;
}

export function parseOcpiCdrs(value: unknown): PlatformParseResult {
  if (Array.isArray(value)) return parseRecordList(value);
  if (!isPlainObject(value)) return fileError(101, 'an OCPI file holds a CDR object, an array of CDRs or a {"data": [...]} envelope');
  // The OCPI response envelope: {"data": [...], "status_code": 1000, "timestamp": ...}.
  if ('data' in value && !('start_date_time' in value)) {
    const data = value.data;
    if (Array.isArray(data)) return parseRecordList(data);
    if (isPlainObject(data)) return parseRecordList([data]);
    return fileError(101, 'the OCPI envelope\'s "data" is neither an array nor an object');
  }
  return parseRecordList([value]);
}

function fileError(code: 101 | 103, message: string): PlatformParseResult {
  return { records: [], rejections: [], received: 0, fileError: { code, message } };
}

function parseRecordList(values: unknown[]): PlatformParseResult {
  const result: PlatformParseResult = { records: [], rejections: [], received: values.length };
  for (const raw of values) {
    const outcome = mapOcpiRecord(raw);
    if ('code' in outcome) result.rejections.push(outcome);
    else result.records.push(outcome);
  }
  return result;
}

/** Maps one CDR or Session; exported for tests. */
export function mapOcpiRecord(raw: unknown): PlatformRecord | SessionRejection {
  if (!isPlainObject(raw)) return reject(FORMAT_CODE.NOT_AN_OBJECT, raw, {});
  const isSession = !('total_energy' in raw) && ('kwh' in raw || 'status' in raw);
  const location = isPlainObject(raw.cdr_location) ? raw.cdr_location : {};
  // A Session has no evse_id, only the CPO's evse_uid (mod_sessions); a CDR names the EVSE by its eMI3 id.
  const stationId = nonEmptyString(location.evse_id) ?? (isSession ? nonEmptyString(raw.evse_id ?? raw.evse_uid) : undefined);
  const transactionId = nonEmptyString(raw.id) ?? nonEmptyString(raw.session_id);
  const ids = { stationId, transactionId };
  if (raw.credit === true) return reject(FORMAT_CODE.CREDIT_CDR, raw, ids, `credit CDR for ${nonEmptyString(raw.credit_reference_id) ?? 'an earlier CDR'}`);
  if (isSession && raw.status !== 'COMPLETED') {
    return reject(FORMAT_CODE.SESSION_NOT_COMPLETED, raw, ids, `OCPI Session with status ${nonEmptyString(raw.status) ?? 'missing'}`);
  }
  if (!stationId) return reject(FORMAT_CODE.MISSING_FIELD, raw, ids, 'no cdr_location.evse_id: the charge point is unknown');
  if (!transactionId) return reject(FORMAT_CODE.MISSING_FIELD, raw, ids, 'no id: the transaction has no identifier');
  if (raw.start_date_time === undefined || raw.end_date_time === undefined) {
    return reject(FORMAT_CODE.MISSING_FIELD, raw, ids, 'start_date_time and end_date_time are required');
  }
  const startS = rfc3339ToSeconds(raw.start_date_time);
  const stopS = rfc3339ToSeconds(raw.end_date_time);
  if (startS === undefined || stopS === undefined) return reject(FORMAT_CODE.INVALID_DATETIME, raw, ids, 'start or end is not RFC 3339');
  const times = { ...ids, startS, stopS };
  const totalKwh = isSession ? raw.kwh : raw.total_energy;
  if (typeof totalKwh !== 'number' || !Number.isFinite(totalKwh)) {
    return reject(FORMAT_CODE.MISSING_FIELD, raw, times, isSession ? 'kwh is not a number' : 'total_energy is not a number');
  }
  const periods = readPeriods(raw.charging_periods);
  if (periods === 'invalid') return reject(FORMAT_CODE.INVALID_DATETIME, raw, times, 'a charging period has no RFC 3339 start_date_time');
  const operation = operationOfEnergy(startS, stopS, totalKwh);
  const base = { stationId, transactionId, raw };
  if (!periods.some((period) => period.energy !== undefined)) return { ...base, session: operation };
  const whPerUnit = energyUnitWh(periods, totalKwh);
  if (whPerUnit === undefined) {
    const sum = periods.reduce((total, period) => total + (period.energy ?? 0), 0);
    return reject(FORMAT_CODE.ENERGY_MISMATCH, raw, times, `Σ ENERGY = ${sum} but total energy = ${totalKwh} kWh`);
  }
  const curve = curveFromPeriods(periods, startS, stopS, whPerUnit);
  const distinctTimestamps = new Set(curve.map((point) => point.timestamp)).size;
  return { ...base, session: distinctTimestamps >= 3 ? curve : operation };
}

interface Period {
  startS: number;
  /** ENERGY volume of the period (kWh per the spec, Wh in some feeds); undefined when it has no ENERGY dimension. */
  energy?: number;
}

function readPeriods(value: unknown): Period[] | 'invalid' {
  if (!Array.isArray(value)) return [];
  const periods: Period[] = [];
  for (const period of value) {
    if (!isPlainObject(period)) return 'invalid';
    const startS = rfc3339ToSeconds(period.start_date_time);
    if (startS === undefined) return 'invalid';
    const dimensions = Array.isArray(period.dimensions) ? period.dimensions : [];
    let energy: number | undefined;
    for (const dimension of dimensions) {
      if (isPlainObject(dimension) && dimension.type === 'ENERGY' && typeof dimension.volume === 'number' && Number.isFinite(dimension.volume)) {
        energy = (energy ?? 0) + dimension.volume;
      }
    }
    periods.push({ startS, energy });
  }
  return periods.sort((a, b) => a.startS - b.startS);
}

/**
 * Wh per ENERGY unit: 1000 when Σ ENERGY matches total_energy (kWh, as the spec says), 1 when it matches
 * 1000 × total_energy (feeds that put Wh there, like the spec's own Session examples), undefined otherwise.
 */
export function energyUnitWh(periods: Period[], totalKwh: number): 1000 | 1 | undefined {
  const sum = periods.reduce((total, period) => total + (period.energy ?? 0), 0);
  const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(ABSOLUTE_TOLERANCE_KWH, RELATIVE_TOLERANCE * Math.abs(b));
  if (close(sum, totalKwh)) return 1000;
  if (totalKwh !== 0 && close(sum / 1000, totalKwh)) return 1;
  return undefined;
}

/** MAPPING.md: index 0 at the first period start, the prefix sum at each later boundary, the total at the end. */
function curveFromPeriods(periods: Period[], startS: number, stopS: number, whPerUnit: number): AdvenirPoint[] {
  const points: AdvenirPoint[] = [];
  if (periods.length === 0 || periods[0].startS > startS) points.push({ timestamp: startS, value: 0 });
  let prefix = 0;
  for (const period of periods) {
    points.push({ timestamp: period.startS, value: roundHalfAway(prefix * whPerUnit) });
    prefix += period.energy ?? 0;
  }
  points.push({ timestamp: stopS, value: roundHalfAway(prefix * whPerUnit) });
  return withinGapLimit(points);
}

/**
 * MAPPING.md: a period longer than 12 h (an overnight PARKING_TIME, say) would be a gap over 12 h (203) and lose
 * the CDR: points are inserted on the straight line between its ends, at most 12 h apart. The resampling
 * interpolates linearly anyway, so the slot energies do not change (a flat parking period exactly; a sloped one
 * to the rounding of the inserted index to whole Wh).
 */
function withinGapLimit(points: AdvenirPoint[]): AdvenirPoint[] {
  const out: AdvenirPoint[] = [];
  for (const point of points) {
    const previous = out[out.length - 1];
    if (previous && point.timestamp - previous.timestamp > MAX_GAP_S) {
      const span = point.timestamp - previous.timestamp;
      for (let t = previous.timestamp + MAX_GAP_S; t < point.timestamp; t += MAX_GAP_S) {
        out.push({ timestamp: t, value: roundHalfAway(previous.value + ((point.value - previous.value) * (t - previous.timestamp)) / span) });
      }
    }
    out.push(point);
  }
  return out;
}
