import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/serve/service.js';
import { openStore } from '../../src/store/database.js';
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
});
