import { describe, expect, it } from 'vitest';
import { parseAdvenirJson, validateAdvenirPayload, validateAdvenirSession } from '../../src/ingest/advenir/validate.js';
import { allSessionCodes, DEFAULT_PROGRAMME_START_S } from '../../src/ingest/codes.js';

const U = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const T0 = 1700000000; // 2023-11-14T22:13:20Z
const options = { nowS: 1800000000, programmeStartS: DEFAULT_PROGRAMME_START_S };
const curve = (...pts: [number, number][]) => pts.map(([timestamp, value]) => ({ timestamp, value }));
const op = (start: number, stop: number, startValue: number, stopValue: number) => ({
  StartTransaction: start,
  StopTransaction: stop,
  StartValue: startValue,
  StopValue: stopValue,
});

/** The single outcome code of a one-session payload (0 = accepted). */
function codeOf(session: unknown, userId = U, stationId = 'S1', transactionId = 'T1'): number {
  const result = validateAdvenirPayload({ [userId]: { [stationId]: { [transactionId]: session } } }, options);
  expect(result.received).toBe(1);
  expect(result.sessions.length + result.rejections.length).toBe(1);
  return result.sessions.length ? 0 : result.rejections[0].code;
}

describe('validateAdvenirPayload: one test per code', () => {
  it('accepts a curve and an operation, with integer seconds and Wh', () => {
    expect(codeOf(curve([T0, 0], [T0 + 60, 47], [T0 + 120, 164]))).toBe(0);
    expect(codeOf(op(T0, T0 + 3600, 100, 7100))).toBe(0);
  });
  it('103: text that is not JSON', () => {
    const parsed = parseAdvenirJson('{"a": [1, 2');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.code).toBe(103);
    expect(parseAdvenirJson('\ufeff{}').ok).toBe(true);
  });
  it('101: top-level shape is a file error; a UserID or StationID mapped to a scalar is a 101 session', () => {
    for (const body of [[], null, 'x', 3]) expect(validateAdvenirPayload(body, options).fileError?.code).toBe(101);
    const result = validateAdvenirPayload({ [U]: 5, other: { S: 'x' } }, options);
    expect(result.fileError).toBeUndefined();
    expect(result.rejections.map((r) => r.code)).toEqual([101, 101]);
    expect(result.received).toBe(2);
  });
  it('104: UserID that is not a UUID', () => {
    expect(codeOf(op(T0, T0 + 60, 0, 10), 'not-a-uuid')).toBe(104);
  });
  it('201: decreasing indices, and a repeated timestamp whose value breaks monotonicity', () => {
    expect(codeOf(curve([T0, 0], [T0 + 60, 50], [T0 + 120, 40]))).toBe(201);
    expect(codeOf(curve([T0, 10], [T0 + 60, 50], [T0 + 60, 5], [T0 + 120, 60]))).toBe(201);
  });
  it('202: the same key or the same (station, start, stop) twice in one payload', () => {
    const s = op(T0, T0 + 60, 0, 10);
    const sameKey = validateAdvenirPayload({ [U]: { S1: [{ T1: s }, { T1: s }] } }, options);
    expect(sameKey.rejections.map((r) => r.code)).toEqual([202]);
    const renumbered = validateAdvenirPayload({ [U]: { S1: { T1: s, T2: s } } }, options);
    expect(renumbered.rejections.map((r) => r.code)).toEqual([202]);
    expect(renumbered.sessions).toHaveLength(1);
  });
  it('UserIDs compare without case: stored in lower case, and the other case of a key is 202', () => {
    const upper = U.toUpperCase();
    const result = validateAdvenirPayload({ [upper]: { S1: { T1: op(T0, T0 + 60, 0, 10) } }, [U]: { S1: { T1: op(T0 + 120, T0 + 180, 10, 20) } } }, options);
    expect(result.sessions.map((s) => s.userId)).toEqual([U]);
    expect(result.rejections.map((r) => r.code)).toEqual([202]);
  });
  it('203: more than 12 h between two points (exactly 12 h is fine)', () => {
    expect(codeOf(curve([T0, 0], [T0 + 43200, 50], [T0 + 43260, 60]))).toBe(0);
    expect(codeOf(curve([T0, 0], [T0 + 43201, 50], [T0 + 43260, 60]))).toBe(203);
  });
  it('204: an operation over 12 h', () => {
    expect(codeOf(op(T0, T0 + 43200, 0, 10))).toBe(0);
    expect(codeOf(op(T0, T0 + 43201, 0, 10))).toBe(204);
  });
  it('205: fewer than 3 distinct points', () => {
    expect(codeOf(curve([T0, 0], [T0 + 60, 10]))).toBe(205);
    expect(codeOf(curve([T0, 0], [T0 + 60, 10], [T0 + 60, 10]))).toBe(205);
    expect(codeOf([])).toBe(205);
  });
  it('206: stop not after start', () => {
    expect(codeOf(op(T0, T0, 0, 10))).toBe(206);
    expect(codeOf(op(T0, T0 - 60, 0, 10))).toBe(206);
  });
  it('207: negative energy', () => {
    expect(codeOf(op(T0, T0 + 60, 100, 90))).toBe(207);
  });
  it('210: a timestamp in the future', () => {
    expect(codeOf(op(T0, options.nowS + 1, 0, 10))).toBe(210);
    expect(codeOf(curve([T0 * 1000, 0], [T0 * 1000 + 60, 1], [T0 * 1000 + 120, 2]))).toBe(210);
  });
  it('211: before the programme start', () => {
    expect(codeOf(op(DEFAULT_PROGRAMME_START_S - 60, DEFAULT_PROGRAMME_START_S + 60, 0, 10))).toBe(211);
  });
  it('212: a session that is neither a curve nor an operation', () => {
    expect(codeOf({ start: T0 })).toBe(212);
    expect(codeOf('x')).toBe(212);
    expect(codeOf(curve([T0, 0], [T0 + 60, Number.NaN], [T0 + 120, 2]))).toBe(212);
    expect(codeOf([{ timestamp: '1700000000', value: 1 }, 1, 2])).toBe(212);
    expect(codeOf(op(T0, T0 + 60, -1, 10))).toBe(212);
  });
  it('213: empty StationID or TransactionID, named by its start and stop when it has them', () => {
    expect(codeOf(op(T0, T0 + 60, 0, 10), U, ' ')).toBe(213);
    expect(codeOf(op(T0, T0 + 60, 0, 10), U, 'S', '')).toBe(213);
    // The published client reads `details` as start/stop pairs: a 213 gives them like any session refusal.
    const [refusal] = validateAdvenirPayload({ [U]: { ' ': { T1: op(T0, T0 + 60, 0, 10) } } }, options).rejections;
    expect(refusal).toMatchObject({ code: 213, startS: T0, stopS: T0 + 60 });
    const [curve] = validateAdvenirPayload({ [U]: { S1: { '': [{ timestamp: T0, value: 0 }, { timestamp: T0 + 600, value: 5 }, { timestamp: T0 + 1200, value: 9 }] } } }, options).rejections;
    expect(curve).toMatchObject({ code: 213, startS: T0, stopS: T0 + 1200 });
  });
  it('every code used here is in the catalogue', () => {
    const codes = allSessionCodes().map((c) => c.code);
    for (const code of [101, 103, 104, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213]) expect(codes).toContain(code);
  });
});

describe('variants real clients send', () => {
  it('rounds fractions half away from zero, sorts points and drops repeated identical points', () => {
    const check = validateAdvenirSession(U, 'S', 'T', curve([T0 + 120.5, 30.5], [T0, 0.4], [T0 + 60, 10], [T0 + 60, 10]), options);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.session.points).toEqual([
      { tsS: T0, valueWh: 0 },
      { tsS: T0 + 60, valueWh: 10 },
      { tsS: T0 + 121, valueWh: 31 },
    ]);
    expect(check.session).toMatchObject({ kind: 'curve', startS: T0, stopS: T0 + 121, startValueWh: 0, stopValueWh: 31 });
  });
  it('keeps the larger value at a repeated timestamp when the series stays monotonic', () => {
    const check = validateAdvenirSession(U, 'S', 'T', curve([T0, 0], [T0 + 60, 20], [T0 + 60, 15], [T0 + 120, 30]), options);
    expect(check.ok && check.session.points.map((p) => p.valueWh)).toEqual([0, 20, 30]);
  });
  it('accepts curves and operations mixed, at any path, and the array form at station level', () => {
    const result = validateAdvenirPayload(
      { [U]: { S1: [{ T1: curve([T0, 0], [T0 + 60, 1], [T0 + 120, 2]) }, { T2: op(T0 + 200, T0 + 300, 0, 5) }] } },
      options,
    );
    expect(result.sessions.map((s) => s.kind)).toEqual(['curve', 'operation']);
  });
  it('platform records without UserID skip the UUID rule', () => {
    const check = validateAdvenirSession(undefined, 'FRABCE1', 'cdr-1', op(T0, T0 + 60, 0, 10), options);
    expect(check.ok && check.session.userId).toBe('');
  });
});

describe('curve paths agree', () => {
  it('checks every point even after switching to the sorting path', () => {
    expect(validateAdvenirSession(U, 'S', 'T', [...curve([T0 + 60, 1], [T0, 0]), { timestamp: T0 + 120 }], options).ok).toBe(false);
    const check = validateAdvenirSession(U, 'S', 'T', [...curve([T0 + 60, 1], [T0, 0]), { timestamp: T0 + 120 }], options);
    expect(!check.ok && check.rejection.code).toBe(212);
  });
});

describe('writeInteger (points file)', () => {
  it('writes integers exactly as String() does', async () => {
    const { writeInteger } = await import('../../src/ingest/load/points-file.js');
    const buffer = Buffer.alloc(64);
    for (const n of [0, 7, 9, 10, 99, 100, 1234567, 1700000000, 2147483647, 2147483648, -5, -1700000000, 2 ** 53 - 1, 999999999999999]) {
      const end = writeInteger(buffer, 3, n);
      expect(buffer.subarray(3, end).toString('ascii')).toBe(String(n));
    }
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.maxSafeNat()), (n) => {
        const end = writeInteger(buffer, 0, n);
        expect(buffer.subarray(0, end).toString('ascii')).toBe(String(n));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('docs/error-codes.md', () => {
  it('documents every session code of the catalogue', async () => {
    await import('../../src/formats/format-codes.js');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'docs', 'error-codes.md'), 'utf8');
    for (const { code, name } of allSessionCodes()) expect(doc).toContain(`| ${code} | ${name} |`);
  });
});

describe('parse error messages', () => {
  it('never quote the text (it may hold identifiers)', () => {
    for (const text of [`{"${U}": {"S1": x}}`, `# ${U}`, `{"${U}":`]) {
      const parsed = parseAdvenirJson(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).not.toContain(U.slice(0, 8));
    }
  });
});
