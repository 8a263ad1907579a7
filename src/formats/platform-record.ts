import type { SessionRejection } from '../ingest/advenir/validate.js';

/**
 * Shared shapes of the platform-session parsers (OCPI CDRs, IRVE dynamic sessions). They are pure: no store,
 * no clock. Each turns records into Advenir sessions (a curve or an operation, integer seconds and Wh) that the
 * one validation core (src/ingest) then judges exactly as it judges a payload from an operator.
 */

export interface AdvenirPoint {
  timestamp: number;
  value: number;
}

export interface AdvenirOperation {
  StartTransaction: number;
  StopTransaction: number;
  StartValue: number;
  StopValue: number;
}

/**
 * A record's total energy (kWh) as an operation: indices 0 -> energy. A negative total becomes the indices
 * |energy| -> 0, so that the validation core codes it 207 (negative energy, docs/formats.md) like an operator's
 * StopValue below its StartValue, and not 212 (a negative index is a malformed Advenir operation).
 */
export function operationOfEnergy(startS: number, stopS: number, energyKwh: number): AdvenirOperation {
  const wh = roundHalfAway(energyKwh * 1000);
  return { StartTransaction: startS, StopTransaction: stopS, StartValue: Math.max(0, -wh), StopValue: Math.max(0, wh) };
}

export interface PlatformRecord {
  stationId: string;
  transactionId: string;
  userId?: string;
  /** An Advenir curve (≥ 3 distinct timestamps) or operation, integer seconds and Wh. */
  session: AdvenirPoint[] | AdvenirOperation;
  raw: unknown;
}

/** One rejection shape for every route: the validation core's. */
export type { SessionRejection };

export interface PlatformParseResult {
  records: PlatformRecord[];
  rejections: SessionRejection[];
  /** Records seen (records + rejections, or 0 with a file error). */
  received: number;
  /** 103: the file cannot be parsed at all; 101: its top-level shape is wrong. Nothing of it is loaded. */
  fileError?: { code: 101 | 103; message: string };
}

/** Protocol.md: fractional numbers are rounded half away from zero, consistently. */
export function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * RFC 3339 date-time → UNIX seconds, rounded half away from zero (OCPI types.asciidoc: fractional seconds
 * allowed, a missing zone designator means UTC; never the machine's zone). Undefined when not a date-time.
 */
export function rfc3339ToSeconds(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = RFC3339.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const utcMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utcMs) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  let offsetMs = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const ms = utcMs - offsetMs + (fraction ? Number(fraction) * 1000 : 0);
  return roundHalfAway(ms / 1000);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
