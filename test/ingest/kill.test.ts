import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeLayout } from '../../src/config/paths.js';
import { openStore } from '../../src/store/database.js';
import { count, registerStations, repoRoot, tempDir, USER, writeJson } from './helpers.js';

/**
 * Issue 3 point 6: `kill -9` in the middle of a file leaves the store with either nothing or all of that file,
 * and a rerun ends with the exact expected counts. Spawns the real CLI (dist/, built by `npm test`'s pretest).
 */
const cli = path.join(repoRoot, 'bin', 'pipeline.js');
const built = fs.existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js'));
const T0 = 1700000000;
const STATIONS = 50;
const SESSIONS = 6000;
const POINTS = 60;

function bigPayload(): unknown {
  const stations: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < SESSIONS; i++) {
    const s = `K${i % STATIONS}`;
    const start = T0 + Math.floor(i / STATIONS) * 36000;
    (stations[s] ??= {})[`T${i}`] = Array.from({ length: POINTS }, (_, p) => ({ timestamp: start + p * 300, value: p * 150 }));
  }
  return { [USER]: stations };
}

function ingest(dataDir: string, file: string): { code: number | null; json: { sessions: Record<string, number> } } {
  const result = spawnSync(process.execPath, [cli, 'ingest', file, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
  return { code: result.status, json: JSON.parse(result.stdout) };
}

/** Starts an ingest and kills it with SIGKILL once its points file exists (inside the file's transaction). */
async function killMidFile(dataDir: string, file: string): Promise<boolean> {
  const tmp = storeLayout(dataDir).tmpDir;
  const child = spawn(process.execPath, [cli, 'ingest', file, '--data-dir', dataDir, '--json'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killed = false;
  for (let i = 0; i < 6000 && child.exitCode === null; i++) {
    if (fs.existsSync(tmp) && fs.readdirSync(tmp).some((f) => f.startsWith('points-'))) {
      child.kill('SIGKILL');
      killed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await exited;
  return killed;
}

describe.skipIf(!built)('kill -9 in the middle of a file (needs dist/: run `npm test` or build first)', () => {
  it('leaves the store with nothing of the file, and a rerun loads it exactly once', async () => {
    const dir = tempDir('kill');
    const dataDir = path.join(dir, 'data');
    const setup = await openStore(dataDir);
    await registerStations(setup, Array.from({ length: STATIONS }, (_, i) => ({ stationId: `K${i}` })));
    setup.close();
    const small = writeJson(dir, 'small.json', { [USER]: { K0: { S1: [0, 1, 2].map((p) => ({ timestamp: T0 - 7200 + p * 60, value: p })) } } });
    expect(ingest(dataDir, small).json.sessions.accepted).toBe(1);
    const big = writeJson(dir, 'big.json', bigPayload());

    const killed = await killMidFile(dataDir, big);
    expect(killed).toBe(true);
    const after = await openStore(dataDir);
    try {
      // All of the small file, nothing of the big one.
      expect(await count(after, 'select count(*) from sessions')).toBe(1);
      expect(await count(after, 'select count(*) from curve_points')).toBe(3);
      expect(await count(after, 'select count(*) from ingest_batches')).toBe(1);
    } finally {
      after.close();
    }

    const rerun = ingest(dataDir, big);
    expect(rerun.code).toBe(0);
    expect(rerun.json.sessions).toEqual({ received: SESSIONS, accepted: SESSIONS, duplicates: 0, rejected: 0 });
    expect(fs.readdirSync(storeLayout(dataDir).tmpDir).filter((f) => f.startsWith('points-'))).toEqual([]);
    const again = ingest(dataDir, big);
    expect(again.json.sessions).toEqual({ received: SESSIONS, accepted: 0, duplicates: SESSIONS, rejected: 0 });
    const final = await openStore(dataDir);
    try {
      expect(await count(final, 'select count(*) from sessions')).toBe(SESSIONS + 1);
      expect(await count(final, 'select count(*) from curve_points')).toBe(SESSIONS * POINTS + 3);
      expect(await count(final, 'select count(distinct session_id) from sessions')).toBe(SESSIONS + 1);
      // Several CSV chunks read in parallel: the points must still be in (session_id, ts_s) order.
      expect(
        await count(
          final,
          `select count(*) from (select session_id, ts_s, lag(session_id) over (order by rowid) as p_id, lag(ts_s) over (order by rowid) as p_ts from curve_points)
           where p_id > session_id or (p_id = session_id and p_ts >= ts_s)`,
        ),
      ).toBe(0);
    } finally {
      final.close();
    }
  }, 180_000);

  it('keeps the points and raw JSON of sessions held at load time when files are prepared in the worker', async () => {
    const dir = tempDir('worker');
    const dataDir = path.join(dir, 'data');
    const curveRaw = [0, 1, 2, 2].map((p) => ({ timestamp: T0 + p * 60, value: p * 10 }));
    const file = writeJson(dir, 'held.json', { [USER]: { LATE: { T1: curveRaw }, K1: { T2: curveRaw } } });
    const setup = await openStore(dataDir);
    await registerStations(setup, [{ stationId: 'K1' }]);
    setup.close();
    const first = ingest(dataDir, file);
    expect(first.json.sessions).toEqual({ received: 2, accepted: 1, duplicates: 0, rejected: 1 });
    const store = await openStore(dataDir);
    try {
      const reader = await store.connection.runAndReadAll('select raw_json, session_json from rejections where held');
      const [row] = reader.getRowObjectsJS();
      expect(JSON.parse(String(row.raw_json))).toEqual(curveRaw);
      expect(JSON.parse(String(row.session_json)).points).toHaveLength(3);
      await registerStations(store, [{ stationId: 'LATE' }]);
    } finally {
      store.close();
    }
    const retry = spawnSync(process.execPath, [cli, 'ingest', '--retry', '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(retry.stdout).sessions).toEqual({ received: 1, accepted: 1, duplicates: 0, rejected: 0 });
    const after = await openStore(dataDir);
    try {
      expect(await count(after, 'select count(*) from curve_points')).toBe(6);
    } finally {
      after.close();
    }
  }, 60_000);

  it('answers a deeply nested refusal quickly on the worker path (it is validated again on the main thread)', () => {
    const dir = tempDir('deep');
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, `{"${USER}":{"R1":{"T-deep":${deep},"T-ok":{"StartTransaction":${T0},"StopTransaction":${T0 + 60},"StartValue":0,"StopValue":1}}}}`);
    const started = Date.now();
    const run = ingest(path.join(dir, 'data'), file);
    expect(run.code).toBe(0);
    expect(run.json.sessions).toEqual({ received: 2, accepted: 0, duplicates: 0, rejected: 2 });
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
