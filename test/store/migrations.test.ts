import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../src/config/paths.js';
import { openStore, type Store } from '../../src/store/database.js';
import { listMigrations } from '../../src/store/migrations.js';
import { tempDir } from '../ingest/helpers.js';

let store: Store | undefined;
afterEach(() => store?.close());

/** A store as a release before `version` left it: the earlier migrations applied, the later ones not. */
async function storeAtVersion(version: number, seedSql: string): Promise<string> {
  const dataDir = path.join(tempDir('migrations'), 'data');
  // The data dir as openStore lays it out, then a database file built with the older migrations only.
  (await openStore(dataDir)).close();
  const file = storeLayout(dataDir).databaseFile;
  fs.rmSync(file, { force: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run('create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamptz not null)');
  for (const migration of listMigrations().filter((m) => m.version < version)) {
    await connection.run(migration.sql);
    await connection.run('insert into schema_migrations values ($v, $n, now())', { v: migration.version, n: migration.name });
  }
  await connection.run(seedSql);
  connection.closeSync();
  instance.closeSync();
  return dataDir;
}

describe('migration 007: a StationID per beneficiary', () => {
  it('keeps every charge point and its cp_id, lower-cases registration UserIDs, and lets two beneficiaries share a StationID', async () => {
    const dataDir = await storeAtVersion(7, `
      insert into charge_points (cp_id, station_id, user_id, source, updated_at) values
        (1, 'PDC1', 'A6D0E6CF-7CAC-477A-AE63-7E753C5BDDA1', 'advenir-registration', now()),
        (7, 'FRABCE1', '891118473', 'irve-static', now())`);
    store = await openStore(dataDir);
    const rows = await store.connection.runAndReadAll('select cp_id, station_id, user_id from charge_points order by cp_id');
    expect(rows.getRowsJS()).toEqual([
      [1, 'PDC1', 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1'],
      [7, 'FRABCE1', '891118473'],
    ]);
    await store.connection.run(`insert into charge_points (cp_id, station_id, user_id, source, updated_at)
      values (8, 'PDC1', 'b6d0e6cf-7cac-477a-ae63-7e753c5bdda2', 'advenir-registration', now())`);
    await expect(store.connection.run(`insert into charge_points (cp_id, station_id, source, updated_at) values (8, 'X', 'irve-static', now())`))
      .rejects.toThrow(/primary key|duplicate key/i);
    const lookup = await store.connection.runAndReadAll(`select lookup_id, cp_id from charge_point_lookup order by cp_id`);
    expect(lookup.getRowsJS()).toEqual([['PDC1', 1], ['FRABCE1', 7], ['PDC1', 8]]);
  });
});
