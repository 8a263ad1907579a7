import { CODE, MAX_GAP_S } from '../codes.js';
import type { CurvePoint, ValidationOptions } from './validate.js';

/**
 * The per-session rules of the Advenir protocol (seed §"Format 1" and §"Format 2", protocol.md), written as
 * tight loops because curves carry most of the volume (issue 3 point 7: >= 1M curve points/s).
 */
export interface RuleFailure {
  code: number;
  detail?: string;
  startS?: number;
  stopS?: number;
}

export interface RuleSuccess {
  kind: 'curve' | 'operation';
  startS: number;
  stopS: number;
  startValueWh: number;
  stopValueWh: number;
  points: CurvePoint[];
}

/** Fractional seconds and Wh are accepted and rounded half away from zero (protocol.md). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

function timeRange(startS: number, stopS: number, options: ValidationOptions): RuleFailure | undefined {
  if (stopS > options.nowS || startS > options.nowS) return { code: CODE.TIMESTAMP_IN_FUTURE, startS, stopS };
  if (startS < options.programmeStartS) return { code: CODE.BEFORE_PROGRAMME_START, startS, stopS };
  return undefined;
}

/**
 * Format 1. Points are sorted by timestamp; repeated identical points are dropped; a repeated timestamp with
 * another value keeps the larger one when the series stays monotonic, else 201 (protocol.md "What real clients send").
 */
export function validateCurve(input: unknown[], options: ValidationOptions): RuleSuccess | RuleFailure {
  const n = input.length;
  if (n === 0) return { code: CODE.TOO_FEW_POINTS };
  // Fast path (what clients send): points already in time order, read once into CurvePoint objects with no
  // intermediate arrays. A point earlier than its predecessor switches to the sorting path.
  const points: CurvePoint[] = [];
  // Value kept for the previous timestamp group: every value of the current group must be >= it (seed: 201).
  let previousGroupWh = -1;
  for (let i = 0; i < n; i++) {
    const point = input[i] as { timestamp?: unknown; value?: unknown } | null;
    if (typeof point !== 'object' || point === null) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} is not an object` };
    const t0 = point.timestamp;
    const v0 = point.value;
    if (!isNumber(t0) || !isNumber(v0)) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} needs numeric timestamp and value` };
    const t = roundHalfAwayFromZero(t0);
    const v = roundHalfAwayFromZero(v0);
    if (v < 0) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} has a negative energy index` };
    const last = points.length > 0 ? points[points.length - 1] : undefined;
    if (last === undefined) {
      points.push({ tsS: t, valueWh: v });
    } else if (t > last.tsS) {
      if (v < last.valueWh) return decreasingCurve(input, t);
      previousGroupWh = last.valueWh;
      points.push({ tsS: t, valueWh: v });
    } else if (t === last.tsS) {
      if (v === last.valueWh) continue;
      if (v < previousGroupWh) return decreasingCurve(input, t);
      if (v > last.valueWh) last.valueWh = v;
    } else {
      return validateUnsortedCurve(input, options);
    }
  }
  return finishCurve(points, options);
}

/** Rules that need the whole collapsed series: time range, at least 3 points, gaps of at most 12 h. */
function finishCurve(points: CurvePoint[], options: ValidationOptions): RuleSuccess | RuleFailure {
  const first = points[0];
  const end = points[points.length - 1];
  const range = timeRange(first.tsS, end.tsS, options);
  if (range) return range;
  if (points.length < 3) return { code: CODE.TOO_FEW_POINTS, startS: first.tsS, stopS: end.tsS };
  for (let j = 1; j < points.length; j++) {
    if (points[j].tsS - points[j - 1].tsS > MAX_GAP_S) return { code: CODE.GAP_OVER_12H, startS: first.tsS, stopS: end.tsS };
  }
  return { kind: 'curve', startS: first.tsS, stopS: end.tsS, startValueWh: first.valueWh, stopValueWh: end.valueWh, points };
}

/** Points out of time order: checked, sorted by (timestamp, value), then collapsed. */
function validateUnsortedCurve(input: unknown[], options: ValidationOptions): RuleSuccess | RuleFailure {
  const raw: CurvePoint[] = [];
  for (let i = 0; i < input.length; i++) {
    const point = input[i] as { timestamp?: unknown; value?: unknown } | null;
    if (typeof point !== 'object' || point === null) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} is not an object` };
    if (!isNumber(point.timestamp) || !isNumber(point.value)) {
      return { code: CODE.MALFORMED_SESSION, detail: `point ${i} needs numeric timestamp and value` };
    }
    const valueWh = roundHalfAwayFromZero(point.value);
    if (valueWh < 0) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} has a negative energy index` };
    raw.push({ tsS: roundHalfAwayFromZero(point.timestamp), valueWh });
  }
  raw.sort((a, b) => a.tsS - b.tsS || a.valueWh - b.valueWh);
  const points: CurvePoint[] = [];
  let previousGroupWh = -1;
  for (const p of raw) {
    const last = points.length > 0 ? points[points.length - 1] : undefined;
    if (last !== undefined && last.tsS === p.tsS) {
      if (p.valueWh < previousGroupWh) return decreasingCurve(input, p.tsS);
      last.valueWh = p.valueWh; // sorted by value within a timestamp: the last is the largest
      continue;
    }
    if (last !== undefined && p.valueWh < last.valueWh) return decreasingCurve(input, p.tsS);
    previousGroupWh = last === undefined ? -1 : last.valueWh;
    points.push(p);
  }
  return finishCurve(points, options);
}

function decreasingCurve(input: unknown[], atS: number): RuleFailure {
  let min = Infinity;
  let max = -Infinity;
  for (const p of input as { timestamp: number }[]) {
    if (!isNumber(p?.timestamp)) continue;
    const t = roundHalfAwayFromZero(p.timestamp);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { code: CODE.INDEX_DECREASING, detail: `at timestamp ${atS}`, startS: min, stopS: max };
}

/** Format 2: StartTransaction < StopTransaction, StartValue <= StopValue, at most 12 h (seed §Format 2). */
export function validateOperation(input: Record<string, unknown>, options: ValidationOptions): RuleSuccess | RuleFailure {
  const { StartTransaction, StopTransaction, StartValue, StopValue } = input;
  if (!isNumber(StartTransaction) || !isNumber(StopTransaction) || !isNumber(StartValue) || !isNumber(StopValue)) {
    return { code: CODE.MALFORMED_SESSION, detail: 'an operation needs numeric StartTransaction, StopTransaction, StartValue, StopValue' };
  }
  const startS = roundHalfAwayFromZero(StartTransaction);
  const stopS = roundHalfAwayFromZero(StopTransaction);
  const startValueWh = roundHalfAwayFromZero(StartValue);
  const stopValueWh = roundHalfAwayFromZero(StopValue);
  if (startValueWh < 0 || stopValueWh < 0) return { code: CODE.MALFORMED_SESSION, detail: 'negative energy index', startS, stopS };
  const range = timeRange(startS, stopS, options);
  if (range) return range;
  if (stopS <= startS) return { code: CODE.STOP_NOT_AFTER_START, startS, stopS };
  if (stopValueWh < startValueWh) return { code: CODE.NEGATIVE_ENERGY, startS, stopS };
  if (stopS - startS > MAX_GAP_S) return { code: CODE.OPERATION_OVER_12H, startS, stopS };
  return { kind: 'operation', startS, stopS, startValueWh, stopValueWh, points: [] };
}
