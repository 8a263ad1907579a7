import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/store/database.js';

export { hasShared, repoRoot, sharedDir } from '../helpers/cli.js';
export { quietOutput } from '../helpers/store.js';
export const USER = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export async function tempStore(prefix = 'ingest'): Promise<Store> {
  return openStore(path.join(tempDir(prefix), 'data'));
}


/** Declares charge points directly in the registry table (the registry importer is tested in test/formats). */
export async function registerStations(
  store: Store,
  stations: { stationId: string; userId?: string | null; powerKw?: number; regionCode?: string }[],
): Promise<void> {
  const reader = await store.connection.runAndReadAll('select coalesce(max(cp_id), 0) as m from charge_points');
  let cpId = Number(reader.getRowObjectsJS()[0].m);
  for (const s of stations) {
    cpId += 1;
    await store.connection.run(
      `insert into charge_points (cp_id, station_id, user_id, region_code, nominal_power_kw, source, updated_at)
       values ($cpId, $stationId, $userId, $region, $power, 'advenir-registration', now())`,
      { cpId, stationId: s.stationId, userId: s.userId === undefined ? USER : s.userId, region: s.regionCode ?? '11', power: s.powerKw ?? 22 },
    );
  }
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

export async function count(store: Store, sql: string): Promise<number> {
  const reader = await store.connection.runAndReadAll(sql);
  return Number(Object.values(reader.getRowObjectsJS()[0])[0]);
}
