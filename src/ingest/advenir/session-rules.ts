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
  const ts = new Float64Array(n);
  const wh = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const point = input[i] as { timestamp?: unknown; value?: unknown } | null;
    if (typeof point !== 'object' || point === null) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} is not an object` };
    const t = point.timestamp;
    const v = point.value;
    if (!isNumber(t) || !isNumber(v)) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} needs numeric timestamp and value` };
    ts[i] = roundHalfAwayFromZero(t);
    wh[i] = roundHalfAwayFromZero(v);
    if (wh[i] < 0) return { code: CODE.MALFORMED_SESSION, detail: `point ${i} has a negative energy index` };
    if (i > 0 && ts[i] < ts[i - 1]) sorted = false;
  }
  if (n === 0) return { code: CODE.TOO_FEW_POINTS };
  const order = sorted ? null : sortedOrder(ts, wh);
  const points: CurvePoint[] = [];
  // Value kept for the previous timestamp group: every value of the current group must be >= it (seed: 201).
  let previousGroupWh = -1;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    const t = ts[i];
    const v = wh[i];
    const last = points.length > 0 ? points[points.length - 1] : undefined;
    if (last !== undefined && last.tsS === t) {
      if (v === last.valueWh) continue;
      if (v < previousGroupWh) return decreasing(ts, n, t);
      if (v > last.valueWh) last.valueWh = v;
      continue;
    }
    if (last !== undefined && v < last.valueWh) return decreasing(ts, n, t);
    previousGroupWh = last === undefined ? -1 : last.valueWh;
    points.push({ tsS: t, valueWh: v });
  }
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

function decreasing(ts: Float64Array, n: number, atS: number): RuleFailure {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (ts[i] < min) min = ts[i];
    if (ts[i] > max) max = ts[i];
  }
  return { code: CODE.INDEX_DECREASING, detail: `at timestamp ${atS}`, startS: min, stopS: max };
}

function sortedOrder(ts: Float64Array, wh: Float64Array): number[] {
  const order = Array.from({ length: ts.length }, (_, i) => i);
  return order.sort((a, b) => ts[a] - ts[b] || wh[a] - wh[b]);
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
