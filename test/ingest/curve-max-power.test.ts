import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInbox } from '../../src/ingest/inbox.js';
import { fillMissingCurveMaxPower } from '../../src/store/curve-max-power.js';
import { openStore, type Store } from '../../src/store/database.js';
import { quietOutput, repoRoot, tempDir } from './helpers.js';

/**
 * sessions.max_power_wh_per_s (006_curve_max_power.sql), the steepest segment of each curve: filled by ingest in
 * SQL, checked here against a plain JavaScript reading of the stored points (an independent oracle), on the
 * bundled sample month (irregular steps, repeated instants, station-level arrays), then refilled from scratch.
 */
let store: Store;

beforeAll(async () => {
  const dataDir = path.join(tempDir('max-power'), 'data');
  fs.cpSync(path.join(repoRoot, 'data', 'inbox'), path.join(dataDir, 'inbox'), { recursive: true });
  store = await openStore(dataDir);
  await importInbox(store, { output: quietOutput() });
}, 120_000);
afterAll(() => store?.close());

/** Steepest (next index - index) / (next instant - instant) per curve, at distinct instants; 0 if none. */
async function oracle(): Promise<Map<number, number>> {
  const reader = await store.connection.runAndReadAll(
    'select session_id, ts_s, value_wh from curve_points order by session_id, ts_s, value_wh',
  );
  const steepest = new Map<number, number>();
  let previous: [number, number, number] | undefined;
  for (const [id, ts, wh] of reader.getRows().map((row) => row.map(Number))) {
    if (!steepest.has(id)) steepest.set(id, 0);
    if (previous && previous[0] === id && ts > previous[1]) {
      steepest.set(id, Math.max(steepest.get(id)!, (wh - previous[2]) / (ts - previous[1])));
    }
    previous = [id, ts, wh];
  }
  return steepest;
}

async function stored(): Promise<Map<number, number | null>> {
  const reader = await store.connection.runAndReadAll(
    `select session_id, max_power_wh_per_s from sessions where kind = 'curve' order by session_id`,
  );
  return new Map(reader.getRows().map(([id, p]) => [Number(id), p === null ? null : Number(p)]));
}

describe('the steepest power of each curve', () => {
  it('is stored by ingest for every curve, equal to the oracle', async () => {
    const expected = await oracle();
    const actual = await stored();
    expect(actual.size).toBeGreaterThan(2000); // 2,936 curves in the sample month
    expect(actual.size).toBe(expected.size);
    for (const [id, power] of expected) expect(actual.get(id)).toBe(power);
    const operations = await store.connection.runAndReadAll(
      `select count(*) from sessions where kind = 'operation' and max_power_wh_per_s is not null`,
    );
    expect(Number(operations.getRows()[0][0])).toBe(0);
  });

  it('is filled again for curves that lack it (stores from before the column), and only for those', async () => {
    const before = await stored();
    await store.connection.run(`update sessions set max_power_wh_per_s = null where kind = 'curve' and session_id % 3 = 0`);
    expect(await fillMissingCurveMaxPower(store.connection)).toBe([...before.keys()].filter((id) => id % 3 === 0).length);
    expect(await stored()).toEqual(before);
    expect(await fillMissingCurveMaxPower(store.connection)).toBe(0);
  });
});
