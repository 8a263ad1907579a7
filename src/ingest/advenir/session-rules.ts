import { CODE, MAX_GAP_S } from '../codes.js';
import type { CurvePoint, ValidationOptions, ValidSession } from './validate.js';

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

/** A session that passed the rules: a ValidSession before its key is attached. */
export type RuleSuccess = Omit<ValidSession, 'userId' | 'stationId' | 'transactionId'>;

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

/** Reused buffers for the collapsed series of the curve being checked (no allocation per point). */
let scratchTs = new Float64Array(1024);
let scratchWh = new Float64Array(1024);

function ensureScratch(n: number): void {
  if (scratchTs.length >= n) return;
  const size = Math.max(n, scratchTs.length * 2);
  scratchTs = new Float64Array(size);
  scratchWh = new Float64Array(size);
}

/**
 * Format 1. Points are sorted by timestamp; repeated identical points are dropped; a repeated timestamp with
 * another value keeps the larger one when the series stays monotonic, else 201 (protocol.md "What real clients send").
 * With `options.packPoints` the kept points come back as two typed arrays instead of CurvePoint objects
 * (the loader's worker: a million small objects cost more in garbage collection than the checks themselves).
 */
export function validateCurve(input: unknown[], options: ValidationOptions): RuleSuccess | RuleFailure {
  const n = input.length;
  if (n === 0) return { code: CODE.TOO_FEW_POINTS };
  ensureScratch(n);
  const ts = scratchTs;
  const wh = scratchWh;
  // Fast path (what clients send): points already in time order, read once. A point earlier than its
  // predecessor switches to the sorting path.
  let m = 0;
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
    if (m === 0) {
      ts[0] = t;
      wh[0] = v;
      m = 1;
    } else if (t > ts[m - 1]) {
      if (v < wh[m - 1]) return decreasingCurve(input, t);
      previousGroupWh = wh[m - 1];
      ts[m] = t;
      wh[m] = v;
      m++;
    } else if (t === ts[m - 1]) {
      if (v === wh[m - 1]) continue;
      if (v < previousGroupWh) return decreasingCurve(input, t);
      if (v > wh[m - 1]) wh[m - 1] = v;
    } else {
      return validateUnsortedCurve(input, options);
    }
  }
  return finishCurve(ts, wh, m, options);
}

/** Rules that need the whole collapsed series: time range, at least 3 points, gaps of at most 12 h. */
function finishCurve(ts: Float64Array, wh: Float64Array, m: number, options: ValidationOptions): RuleSuccess | RuleFailure {
  const startS = ts[0];
  const stopS = ts[m - 1];
  const range = timeRange(startS, stopS, options);
  if (range) return range;
  if (m < 3) return { code: CODE.TOO_FEW_POINTS, startS, stopS };
  for (let j = 1; j < m; j++) {
    if (ts[j] - ts[j - 1] > MAX_GAP_S) return { code: CODE.GAP_OVER_12H, startS, stopS };
  }
  const result: RuleSuccess = { kind: 'curve', startS, stopS, startValueWh: wh[0], stopValueWh: wh[m - 1], points: [] };
  if (options.packPoints) {
    result.packedPoints = { tsS: ts.slice(0, m), valueWh: wh.slice(0, m) };
  } else {
    const points: CurvePoint[] = new Array(m);
    for (let j = 0; j < m; j++) points[j] = { tsS: ts[j], valueWh: wh[j] };
    result.points = points;
  }
  return result;
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
  const ts = scratchTs;
  const wh = scratchWh;
  let m = 0;
  let previousGroupWh = -1;
  for (const p of raw) {
    if (m > 0 && ts[m - 1] === p.tsS) {
      if (p.valueWh < previousGroupWh) return decreasingCurve(input, p.tsS);
      wh[m - 1] = p.valueWh; // sorted by value within a timestamp: the last is the largest
      continue;
    }
    if (m > 0 && p.valueWh < wh[m - 1]) return decreasingCurve(input, p.tsS);
    previousGroupWh = m === 0 ? -1 : wh[m - 1];
    ts[m] = p.tsS;
    wh[m] = p.valueWh;
    m++;
  }
  return finishCurve(ts, wh, m, options);
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
