import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { addOperator } from '../../src/serve/operators.js';
import { openStore } from '../../src/store/database.js';
import { recordFigures } from './figures.js';
import { registerStations, rows } from './hostile-helpers.js';
import { USER } from './hostile-corpus.js';
import { basicAuth, sendRaw, startServiceChild, stopServiceChild, type ServiceChild } from './service-child.js';

/**
 * Issue 9, point 3: many concurrent clients against the real service while it is SIGKILLed and restarted twice,
 * with a `pipeline ingest` loading landing files in the middle. Clients behave as the protocol asks: what was not
 * answered OK is sent again. At the end every acknowledged session is in the store exactly once.
 */

const CLIENTS = 16;
const BATCHES = 240;
const BATCH = 25;
const STATIONS = 8;
const T0_S = 1_672_531_200; // 2023-01-01
const PASSWORD = 'load-faults-password';
const AUTH = { Authorization: basicAuth('op-load', PASSWORD), 'Content-Type': 'application/json' };

function batchBody(batch: number): Buffer {
  const stations: Record<string, Record<string, unknown>> = {};
  for (let i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
    const start = T0_S + i * 7200;
    const session = i % 3 === 0
      ? [0, 1200, 2400, 3600].map((dt, k) => ({ timestamp: start + dt, value: 1000 + k * 1500 }))
      : { StartTransaction: start, StopTransaction: start + 3600, StartValue: 1000, StopValue: 8000 };
    (stations[`LOAD-${i % STATIONS}`] ??= {})[`L-${i}`] = session;
  }
  return Buffer.from(JSON.stringify({ [USER]: stations }));
}

describe('load with faults: concurrent clients, two SIGKILLs of the service', () => {
  let dir: string;
  let dataDir: string;
  let service: ServiceChild | undefined;

  beforeAll(async () => {
    dir = tempDir('robust-load-');
    dataDir = path.join(dir, 'data');
    await addOperator(dataDir, { login: 'op-load', password: PASSWORD, userIds: [USER] });
    await registerStations(dataDir, Array.from({ length: STATIONS }, (_, i) => `LOAD-${i}`));
  });
  afterAll(async () => {
    await stopServiceChild(service, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores every acknowledged session exactly once', async () => {
    service = await startServiceChild(dataDir, ['--log-level', 'warn']);
    let url = service.url;
    const acknowledged = new Set<number>();
    let attempts = 0;
    let failedAttempts = 0;
    let next = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      for (let batch = next++; batch < BATCHES; batch = next++) {
        const body = batchBody(batch);
        // Send until answered OK (accepted now, or 202: recorded by an earlier attempt cut by a kill).
        for (;;) {
          attempts += 1;
          const answer = await sendRaw(url, '/api/operation/put', body, AUTH);
          const details = answer.json?.details ?? {};
          if (answer.status === 200 && answer.json.statut === 'OK' && Object.keys(details).every((code) => code === '202')) {
            for (let i = batch * BATCH; i < (batch + 1) * BATCH; i++) acknowledged.add(i);
            break;
          }
          failedAttempts += 1;
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      }
    });

    // Two kills at different moments, each followed by a restart; an ingest runs while the service is up.
    let ingestWhileServing: Promise<number | null> | undefined;
    const acknowledgedAtKills: number[] = [];
    for (const fraction of [0.3, 0.65]) {
      const deadline = Date.now() + 60_000;
      while (acknowledged.size < fraction * BATCHES * BATCH && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await stopServiceChild(service, 'SIGKILL');
      acknowledgedAtKills.push(acknowledged.size);
      await new Promise((resolve) => setTimeout(resolve, 200));
      service = await startServiceChild(dataDir, ['--log-level', 'warn']);
      url = service.url;
      ingestWhileServing ??= new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), '--data-dir', dataDir, 'ingest', '--json'], { stdio: 'ignore' });
        child.on('exit', (code) => resolve(code));
      });
    }
    await Promise.all(clients);
    expect(await ingestWhileServing).toBe(0);
    await stopServiceChild(service);
    service = undefined;

    const ingest = runCli(['--data-dir', dataDir, 'ingest', '--json']);
    expect(ingest.status, ingest.stderr).toBe(0);
    const store = await openStore(dataDir);
    let stored: Record<string, unknown>[];
    try {
      stored = await rows(store, `select transaction_id, count(*)::integer as n from sessions group by 1`);
      const [{ held }] = await rows(store, 'select count(*)::integer as held from rejections');
      expect(held).toBe(0);
    } finally {
      store.close();
    }
    const sent = BATCHES * BATCH;
    const counts = new Map(stored.map((r) => [String(r.transaction_id), Number(r.n)]));
    console.log(`load with faults: ${sent} sessions sent (${attempts} requests, ${failedAttempts} failed and sent again), ${acknowledged.size} acknowledged, ${counts.size} stored`);
    expect(acknowledged.size).toBe(sent);
    for (const i of acknowledged) expect(counts.get(`L-${i}`), `L-${i}`).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(sent);
    expect(failedAttempts).toBeGreaterThan(0);
    recordFigures('load-faults', {
      check: `Load with faults: ${CLIENTS} concurrent clients, service SIGKILLed and restarted twice, ingest while serving`,
      point: 3,
      faults_injected: 2,
      sessions_sent: sent,
      sessions_acknowledged: acknowledged.size,
      sessions_stored: counts.size,
      measures: { requests: attempts, requests_failed_and_resent: failedAttempts, acknowledged_at_kills: acknowledgedAtKills.join(' / ') },
    });
  }, 300_000);
});
