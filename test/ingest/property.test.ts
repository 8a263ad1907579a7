import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAdvenirPayload } from '../../src/ingest/advenir/validate.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { parseSessionText } from '../../src/ingest/parse-sessions.js';
import type { Store } from '../../src/store/database.js';
import { count, quietOutput, registerStations, tempDir, tempStore, USER } from './helpers.js';

/**
 * Issue 3 point 5: random and mutated payloads never crash the ingester, and every session gets exactly one
 * outcome: accepted + duplicates + rejected = received.
 */
const T0 = 1700000000;
const options = { nowS: 1800000000, programmeStartS: 1451606400 };
const OTHER_USER = 'b6d0e6cf-7cac-477a-ae63-7e753c5bdda2';

const number = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 50_000 }) },
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -100, max: 0 }),
  fc.constantFrom(2 ** 53, 1e300, T0 * 1000),
);
const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: T0, max: T0 + 100_000 }) },
  fc.constantFrom(0, -1, 1e12, 1.5, T0 + 0.5),
  number,
);
const point = fc.oneof(
  { weight: 10, arbitrary: fc.record({ timestamp, value: number }) },
  fc.jsonValue(),
  fc.record({ timestamp: fc.jsonValue() }),
);
/** A curve that is usually valid: increasing timestamps and values, sometimes shuffled or repeated. */
const goodCurve = fc
  .tuple(fc.integer({ min: T0, max: T0 + 500_000 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 5000 })), { minLength: 0, maxLength: 12 }))
  .map(([start, steps]) => {
    let t = start;
    let v = 0;
    return steps.map(([dt, dv]) => ({ timestamp: (t += dt), value: (v += dv) }));
  });
const operation = fc.record(
  { StartTransaction: timestamp, StopTransaction: timestamp, StartValue: number, StopValue: number },
  { requiredKeys: [] },
);
const goodOperation = fc
  .tuple(fc.integer({ min: T0, max: T0 + 500_000 }), fc.integer({ min: 60, max: 40_000 }), fc.nat(100_000), fc.nat(20_000))
  .map(([start, duration, startValue, energy]) => ({
    StartTransaction: start,
    StopTransaction: start + duration,
    StartValue: startValue,
    StopValue: startValue + energy,
  }));
const session = fc.oneof(
  { weight: 4, arbitrary: goodCurve },
  { weight: 6, arbitrary: goodOperation },
  { weight: 4, arbitrary: operation },
  fc.array(point, { maxLength: 8 }),
  fc.jsonValue(),
);
const id = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('A', 'B', 'C', '1', '2') }, fc.string({ maxLength: 4 }));
const transactions = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(id, session, { maxKeys: 5 }) },
  fc.array(fc.dictionary(id, session, { maxKeys: 2 }), { maxLength: 4 }),
  fc.jsonValue(),
);
const payload = fc.oneof(
  { weight: 10, arbitrary: fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(USER, OTHER_USER) }, fc.string({ maxLength: 6 })), fc.dictionary(fc.constantFrom('S1', 'S2', 'S3', 'UNKNOWN', ''), transactions, { maxKeys: 3 }), { maxKeys: 3 }) },
  fc.jsonValue(),
);

describe('property: the validation core', () => {
  it('never throws, and gives each received session exactly one outcome', () => {
    fc.assert(
      fc.property(payload, (body) => {
        const result = validateAdvenirPayload(body, options);
        if (result.fileError) {
          expect(result.received).toBe(0);
          return;
        }
        expect(result.sessions.length + result.rejections.length).toBe(result.received);
        for (const s of result.sessions) {
          expect(Number.isInteger(s.startS) && Number.isInteger(s.stopS) && s.stopS > s.startS).toBe(true);
          expect(s.stopValueWh).toBeGreaterThanOrEqual(s.startValueWh);
          for (let i = 1; i < s.points.length; i++) {
            expect(s.points[i].tsS).toBeGreaterThan(s.points[i - 1].tsS);
            expect(s.points[i].valueWh).toBeGreaterThanOrEqual(s.points[i - 1].valueWh);
          }
        }
      }),
      { numRuns: 600, seed: 20261127 },
    );
  });

  it('never throws on mutated JSON text (every format)', () => {
    fc.assert(
      fc.property(payload, fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 4 }), (body, edits) => {
        let text = JSON.stringify(body) ?? '';
        for (const [at, insert] of edits) {
          const i = text.length ? at % text.length : 0;
          text = text.slice(0, i) + insert + text.slice(i + 1);
        }
        for (const format of ['advenir', 'advenir-landing', 'ocpi-cdr', 'irve-sessions'] as const) {
          const parsed = parseSessionText(text, format, options);
          if (!parsed.fileError) expect(parsed.sessions.length + parsed.rejections.length).toBe(parsed.received);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('property: loading into the store', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    store = await tempStore('property');
    // S3 is another beneficiary's: sessions of USER on it are held (209), not attributed to it.
    await registerStations(store, [{ stationId: 'S1' }, { stationId: 'S2', powerKw: 3 }, { stationId: 'S3', userId: OTHER_USER }]);
    dir = tempDir('property-files');
  });
  afterAll(() => store.close());

  it('accepted + duplicates + rejected = received for every file, and the store holds exactly the accepted', async () => {
    let accepted = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const file = path.join(dir, `p${n++}.json`);
        fs.writeFileSync(file, JSON.stringify(body) ?? 'undefined');
        const summary = await ingestPaths(store, [file], { format: 'auto', retry: n % 5 === 0, nowS: options.nowS, errorsLimit: 0, output: quietOutput() });
        const s = summary.sessions;
        expect(s.accepted + s.duplicates + s.rejected).toBe(s.received);
        expect(Object.values(summary.rejected_by_code).reduce((a, b) => a + b, 0)).toBe(s.rejected);
        accepted += s.accepted;
        expect(await count(store, 'select count(*) from sessions')).toBe(accepted);
      }),
      { numRuns: 100, seed: 42 },
    );
    // The generator must reach the store, not only the refusals.
    expect(accepted).toBeGreaterThan(10);
    expect(await count(store, 'select count(*) from (select station_id, start_s, stop_s from sessions group by all having count(*) > 1)')).toBe(0);
    // Points are stored in (session_id, ts_s) order and agree with their session row.
    expect(
      await count(
        store,
        `select count(*) from (
           select session_id, ts_s, lag(session_id) over (order by rowid) as prev_id, lag(ts_s) over (order by rowid) as prev_ts
           from curve_points)
         where prev_id > session_id or (prev_id = session_id and prev_ts >= ts_s)`,
      ),
    ).toBe(0);
    expect(
      await count(
        store,
        `select count(*) from sessions s
         left join (select session_id, count(*) as n, min(ts_s) as first_s, max(ts_s) as last_s from curve_points group by 1) p using (session_id)
         where s.kind = 'curve' and (p.n is distinct from s.point_count or p.first_s <> s.start_s or p.last_s <> s.stop_s)`,
      ),
    ).toBe(0);
    expect(await count(store, "select count(*) from sessions where kind = 'curve'")).toBeGreaterThan(0);
  }, 120_000);
});

describe('property: packed points (worker path) equal object points', () => {
  it('gives the same sessions and the same points CSV with and without packPoints', async () => {
    const { buildPointsCsv } = await import('../../src/ingest/load/points-file.js');
    fc.assert(
      fc.property(payload, (body) => {
        const plain = validateAdvenirPayload(body, options);
        const packed = validateAdvenirPayload(body, { ...options, packPoints: true });
        expect(packed.rejections).toEqual(plain.rejections);
        expect(packed.sessions.map(({ packedPoints: _, points: __, ...rest }) => rest)).toEqual(plain.sessions.map(({ points: _, ...rest }) => rest));
        expect(Buffer.from(buildPointsCsv(packed.sessions)).toString()).toBe(Buffer.from(buildPointsCsv(plain.sessions)).toString());
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
