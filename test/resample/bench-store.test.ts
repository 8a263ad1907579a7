import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateStore } from '../../src/bench/generate-store.js';
import { defaultRunParams } from '../../src/config/params.js';
import { buildMonthModels, runDataTests } from '../../src/indicators/month-models.js';
import { openStore } from '../../src/store/database.js';
import { parseMonth } from '../../src/util/month.js';

// The benchmark's generated month, at a small size: deterministic, and consistent with the data tests.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function generated(seed: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  dirs.push(dir);
  await generateStore({ dir, sessions: 4000, seed, month: '2024-03' });
  return dir;
}

async function fingerprint(dir: string): Promise<string> {
  const store = await openStore(dir);
  try {
    const reader = await store.connection.runAndReadAll(
      `select (select sum(hash(session_id, cp_id, start_s, stop_s, energy_wh)) from sessions)::varchar
           || '/' || (select sum(hash(session_id, ts_s, value_wh)) from curve_points)::varchar as f`,
    );
    return String(reader.getRowObjectsJS()[0].f);
  } finally {
    store.close();
  }
}

describe('bench store generator', () => {
  it('is deterministic for a seed and passes every data test, with chains and sampled session sums', async () => {
    const a = await generated(3);
    const b = await generated(3);
    expect(await fingerprint(a)).toBe(await fingerprint(b));
    const store = await openStore(a);
    try {
      const stats = await buildMonthModels(store, parseMonth('2024-03'), defaultRunParams(), { sessionsCheckedInFull: 100 });
      await runDataTests(store);
      expect(stats.curvePoints).toBeGreaterThan(10 * 2000);
      expect(stats.episodes).toBeLessThan(stats.sessions); // smart-charged chains of three operations
      const [row] = (await store.connection.runAndReadAll('select count(*) as n, sum(energy_wh) as e from month_cell_slots')).getRowObjectsJS();
      expect(Number(row.e)).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
});
