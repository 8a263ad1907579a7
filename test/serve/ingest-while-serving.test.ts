import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/serve/service.js';
import { openStore } from '../../src/store/database.js';
import { landingText } from '../../src/serve/landing.js';
import { USER_A, ensureBuilt, operation, operationsBody, repoRoot, send, startTestService, tempDataDir, withOperators } from './helpers.js';

/**
 * Architecture.md: the service never opens the store, so `pipeline ingest` loads its landing files while it
 * runs; each acknowledged session reaches the store once (route 'webservice'), resends included.
 */

function pipeline(dataDir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pipeline ingest while pipeline serve runs', () => {
  let dataDir: string;
  let service: RunningService;
  beforeAll(async () => {
    ensureBuilt();
    dataDir = tempDataDir();
    await withOperators(dataDir);
    const registry = path.join(dataDir, 'registration.csv');
    fs.writeFileSync(registry, `user_id,station_id,id_pdc_itinerance,code_insee_commune,puissance_nominale_kw,date_mise_en_service\n${USER_A},R320,,75056,22,2020-01-01\n`);
    expect(pipeline(dataDir, ['registry', 'import', registry])).toMatchObject({ status: 0 });
    service = await startTestService(dataDir);
  }, 180_000);
  afterAll(async () => {
    await service?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);

  it('loads each acknowledged session into the store exactly once', async () => {
    expect((await send(service, '/api/operation/put', operationsBody(USER_A, 'R320', 0, 3))).json).toEqual({ statut: 'OK', details: {} });
    const first = pipeline(dataDir, ['ingest', '--json']);
    expect(first).toMatchObject({ status: 0 });
    expect(JSON.parse(first.stdout).sessions).toMatchObject({ accepted: 3 });

    // Two new sessions and one resent: 202 for it at the service, and the store keeps it once.
    const second = await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-2': operation(2), 'tx-3': operation(3), 'tx-4': operation(4) } } });
    expect(second.json.details).toEqual({ '202': [operation(2).StartTransaction, operation(2).StopTransaction] });
    const again = pipeline(dataDir, ['ingest', '--json']);
    expect(again).toMatchObject({ status: 0 });
    expect(JSON.parse(again.stdout).sessions).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout).sessions).toMatchObject({ accepted: 0 });

    const store = await openStore(dataDir);
    try {
      const reader = await store.connection.runAndReadAll(
        `select count(*) as n, count(distinct transaction_id) as tx, sum(energy_wh) as wh from sessions where route = 'webservice'`,
      );
      expect(reader.getRowObjectsJS()[0]).toEqual({ n: 5n, tx: 5n, wh: 35000n });
    } finally {
      store.close();
    }
  }, 180_000);

  it('lands refusals even when a request has no new session, and the load records them', async () => {
    const stopBeforeStart = { StartTransaction: 1_717_300_000, StopTransaction: 1_717_299_000, StartValue: 0, StopValue: 10 };
    const answer = await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-refused': stopBeforeStart } } });
    expect(answer.json).toMatchObject({ statut: 'ECHEC', details: { '206': [1_717_300_000, 1_717_299_000] } });
    const loaded = JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout);
    expect(loaded.sessions).toMatchObject({ accepted: 0, rejected: 1 });
    expect(loaded.rejected_by_code).toEqual({ '206': 1 });
    // Resent twice: each attempt is answered and landed, the refusal is on record once.
    await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-refused': stopBeforeStart } } });
    await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-refused': stopBeforeStart } } });
    expect(JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout).sessions).toMatchObject({ received: 2, rejected: 2 });
    const store = await openStore(dataDir);
    try {
      const reader = await store.connection.runAndReadAll(`select count(*) as n from rejections where transaction_id = 'tx-refused'`);
      expect(reader.getRowObjectsJS()[0]).toEqual({ n: 1n });
    } finally {
      store.close();
    }
  }, 180_000);

  it('answers 208 from the registry snapshot, so that a corrected resend under the same keys is accepted', async () => {
    // R320 is registered at 22 kW: 50 kWh in one hour is 50 kW, above 22 x 1.1.
    const start = 1_717_500_000;
    const tooMuch = { StartTransaction: start, StopTransaction: start + 3600, StartValue: 0, StopValue: 50_000 };
    const refused = await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-power': tooMuch } } });
    expect(refused.json).toMatchObject({ statut: 'ECHEC', details: { '208': [start, start + 3600] } });
    // The operator corrects the meter reading and sends the session again: it is new, not a 202.
    const corrected = { ...tooMuch, StopValue: 20_000 };
    expect((await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-power': corrected } } })).json).toEqual({ statut: 'OK', details: {} });
    const loaded = JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout);
    expect(loaded.sessions).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
    expect(loaded.rejected_by_code).toEqual({ '208': 1 });
    // A registry import the service sees while it runs: at 60 kW the same 50 kWh hour is plausible.
    const registry = path.join(dataDir, 'registration-60kw.csv');
    fs.writeFileSync(registry, `user_id,station_id,puissance_nominale_kw\n${USER_A},R320,60\n`);
    expect(pipeline(dataDir, ['registry', 'import', registry])).toMatchObject({ status: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = { ...tooMuch, StartTransaction: start + 7200, StopTransaction: start + 10_800 };
    expect((await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-power-2': later } } })).json).toEqual({ statut: 'OK', details: {} });
    // More than 1 MW is refused whatever the registry says (kWh sent as Wh).
    const unitError = { StartTransaction: start + 14_400, StopTransaction: start + 18_000, StartValue: 0, StopValue: 1_000_001 };
    expect((await send(service, '/api/operation/put', { [USER_A]: { R320: { 'tx-mw': unitError } } })).json)
      .toMatchObject({ statut: 'ECHEC', details: { '208': [start + 14_400, start + 18_000] } });
    const reloaded = JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout);
    expect(reloaded.sessions).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
    expect(reloaded.rejected_by_code).toEqual({ '208': 1 });
    const store = await openStore(dataDir);
    try {
      const reader = await store.connection.runAndReadAll(`select count(*) as n from rejections where transaction_id = 'tx-power' and code = 208`);
      expect(reader.getRowObjectsJS()[0]).toEqual({ n: 1n });
    } finally {
      store.close();
    }
  }, 180_000);

  it("loads a landing file with the service's receipt time and programme start, not the loader's", async () => {
    // Received on 2024-06-01 by a service whose programme started on 2015-01-01: the session ending on
    // 2024-06-02 was answered 210 and must not be stored now that its end has passed; the 2015 one is stored.
    const receivedAt = '2024-06-01T00:00:00.000Z';
    const inFutureThen = { StartTransaction: 1_717_243_200, StopTransaction: 1_717_246_800, StartValue: 0, StopValue: 5000 };
    const in2015 = { StartTransaction: 1_433_116_800, StopTransaction: 1_433_120_400, StartValue: 0, StopValue: 5000 };
    const header = {
      format: 'advenir-landing' as const,
      version: 1 as const,
      request_id: '20240601T000000000Z-0000abcd',
      received_at: receivedAt,
      operator: 'op-a',
      path: '/api/operation/put',
      programme_start_s: 1_420_070_400,
    };
    const body = { [USER_A]: { R320: { 'tx-late': inFutureThen, 'tx-2015': in2015 } } };
    fs.writeFileSync(path.join(dataDir, 'landing', `${header.request_id}.json`), landingText(header, JSON.stringify(body)));
    const loaded = JSON.parse(pipeline(dataDir, ['ingest', '--json']).stdout);
    expect(loaded.sessions).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
    expect(loaded.rejected_by_code).toEqual({ '210': 1 });
  }, 180_000);
});
