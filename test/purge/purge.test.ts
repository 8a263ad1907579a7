import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPurge } from '../../src/purge/purge.js';
import { dryRun } from '../../src/purge/plan.js';
import { openStore } from '../../src/store/database.js';
import { assertNotPurged, readMeta } from '../../src/store/meta.js';
import { assertDataDirNotPurged } from '../../src/purge/marker.js';
import { hasShared, tempDir } from '../helpers/cli.js';
import { allKnownIdentifiers, KNOWN, readRealClientIds, seedDataDir, seedReports } from './seed.js';
import { grepIdentifiers, hashTree, isDistinctive, listFiles } from './scan.js';

const roots: string[] = [];
function setup() {
  const root = tempDir('purge-test-');
  roots.push(root);
  return { dataDir: path.join(root, 'data'), reportsDir: path.join(root, 'reports') };
}
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('pipeline purge (in process)', () => {
  it('dry run lists tables and files to delete and what is kept, and changes nothing', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    seedReports(paths.reportsDir);
    const before = { data: hashTree(paths.dataDir), reports: hashTree(paths.reportsDir) };
    const plan = await dryRun(paths);
    expect(hashTree(paths.dataDir)).toEqual(before.data);
    expect(hashTree(paths.reportsDir)).toEqual(before.reports);
    const deleted = Object.fromEntries(plan.deleted.tables.map((t) => [t.name, t.rows]));
    // Rows in the DB file only: the WAL's uncheckpointed row is replayed by the read-only open too.
    expect(deleted).toMatchObject({ sessions: 4, curve_points: 12, charge_points: 3, ingest_batches: 1, month_2024_05_station_energy: 4 });
    expect(deleted.rejections).toBe(2);
    const kept = Object.fromEntries(plan.kept.tables.map((t) => [t.name, t.rows]));
    expect(kept).toMatchObject({ carbon_slots: 2, carbon_imports: 1, runs: 1 });
    expect(Object.keys(kept).sort()).toEqual(['carbon_imports', 'carbon_slots', 'runs', 'schema_migrations', 'store_meta']);
    const folders = plan.deleted.files.byFolder.map((f) => f.folder);
    expect(folders).toEqual(['inbox', 'landing', 'logs', 'other', 'pipeline.duckdb', 'pipeline.duckdb.wal', 'service', 'tmp']);
    expect(plan.kept.reports.files).toBe(3);
    // No identifier in what is printed.
    const printed = JSON.stringify(plan);
    for (const id of allKnownIdentifiers()) expect(printed).not.toContain(id);
  });

  it('deletes every individual byte of the data folder, keeps reports byte-identical, certifies', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    seedReports(paths.reportsDir);
    const reportsBefore = hashTree(paths.reportsDir);
    // The check can see them before: every known identifier is somewhere in the data folder.
    const foundBefore = new Set(grepIdentifiers(paths.dataDir, allKnownIdentifiers()).map((hit) => hit.identifier));
    expect([...foundBefore].sort()).toEqual(allKnownIdentifiers().sort());

    const result = await runPurge(paths);

    expect(grepIdentifiers(paths.dataDir, allKnownIdentifiers())).toEqual([]);
    expect(listFiles(paths.dataDir)).toEqual(['PURGED.json', 'pipeline.duckdb']);
    const reportsAfter = hashTree(paths.reportsDir);
    expect(Object.keys(reportsAfter).sort()).toEqual([...Object.keys(reportsBefore), 'purge-certificate.json', 'purge-certificate.txt'].sort());
    for (const [file, sha] of Object.entries(reportsBefore)) expect(reportsAfter[file]).toBe(sha);

    const certificate = result.certificate;
    expect(certificate.verification.passed).toBe(true);
    expect(certificate.verification.matches).toEqual([]);
    expect(certificate.deleted.rows).toBeGreaterThanOrEqual(4 + 12 + 3 + 2 + 1 + 4);
    expect(certificate.kept.reports.map((f) => [f.path, f.sha256])).toEqual(Object.entries(reportsBefore));
    // The certificate itself names no identifier (it is a published file).
    const certificateText = fs.readFileSync(path.join(paths.reportsDir, 'purge-certificate.txt'), 'utf8') + JSON.stringify(certificate);
    for (const id of allKnownIdentifiers()) expect(certificateText).not.toContain(id);

    // The rebuilt store: kept tables intact, individual ones empty, purge recorded.
    const store = await openStore(paths.dataDir);
    try {
      const count = async (table: string) => Number((await store.connection.runAndReadAll(`select count(*) as n from ${table}`)).getRowObjectsJS()[0].n);
      expect(await count('carbon_slots')).toBe(2);
      expect(await count('runs')).toBe(1);
      expect(await count('sessions')).toBe(0);
      expect(await count('rejections')).toBe(0);
      expect(await readMeta(store, 'purged_at')).toBe(certificate.purged_at);
      await expect(assertNotPurged(store, 'ingest')).rejects.toMatchObject({ code: 'STORE_PURGED' });
    } finally {
      store.close();
    }
    expect(() => assertDataDirNotPurged(paths.dataDir, 'serve')).toThrow(expect.objectContaining({ code: 'STORE_PURGED' }));

    // Repeatable: a second purge finds nothing to do and keeps the one certificate.
    const certificateBytes = fs.readFileSync(path.join(paths.reportsDir, 'purge-certificate.json'));
    const again = await runPurge(paths);
    expect(again.alreadyPurged).toBe(true);
    expect(fs.readFileSync(path.join(paths.reportsDir, 'purge-certificate.json'))).toEqual(certificateBytes);
  });

  it('counts input files loaded from outside the data folder, which it does not delete', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    const outside = path.join(path.dirname(paths.dataDir), 'operator-downloads', 'ops.json');
    fs.mkdirSync(path.dirname(outside), { recursive: true });
    fs.writeFileSync(outside, '{}');
    const store = await openStore(paths.dataDir);
    try {
      await store.connection.run(
        `insert into ingest_batches values (2, $file, 'x', 'advenir-file', 'advenir-operation', 0, 0, 0, 0, null, now()),
                                           (3, '/nonexistent/gone.json', 'y', 'advenir-file', 'advenir-operation', 0, 0, 0, 0, null, now())`,
        { file: outside },
      );
    } finally {
      store.close();
    }
    expect((await dryRun(paths)).notCovered.externalInputFiles).toBe(1);
    const result = await runPurge(paths);
    expect(result.certificate.not_covered.external_input_files).toBe(1);
    expect(fs.existsSync(outside)).toBe(true);
  });

  it('counts as outside the files of a data-dir folder that is a symbolic link (it deletes the link only)', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    const elsewhere = path.join(path.dirname(paths.dataDir), 'inbox-on-another-disk');
    fs.mkdirSync(path.join(elsewhere, 'op-a'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'op-a', 'sessions.json'), '{}');
    fs.rmSync(path.join(paths.dataDir, 'inbox'), { recursive: true, force: true });
    fs.symlinkSync(elsewhere, path.join(paths.dataDir, 'inbox'));
    const store = await openStore(paths.dataDir);
    try {
      await store.connection.run(
        `insert into ingest_batches values (2, $file, 'x', 'advenir-file', 'advenir-operation', 0, 0, 0, 0, null, now())`,
        { file: path.join(paths.dataDir, 'inbox', 'op-a', 'sessions.json') },
      );
    } finally {
      store.close();
    }
    const result = await runPurge(paths);
    expect(result.certificate.not_covered.external_input_files).toBe(1);
    expect(fs.existsSync(path.join(elsewhere, 'op-a', 'sessions.json'))).toBe(true);
  });

  it('refuses before deleting anything when a kept table or a report names an identifier', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    seedReports(paths.reportsDir);
    fs.writeFileSync(path.join(paths.reportsDir, '2024-05', 'leaky.csv'), `station,energy_kwh\n${KNOWN.stations[1]},12.5\n`);
    const store = await openStore(paths.dataDir);
    try {
      await store.connection.run(`update runs set manifest_json = $m`, { m: JSON.stringify({ largest_contributor: KNOWN.users[0] }) });
    } finally {
      store.close();
    }
    const before = hashTree(paths.dataDir);
    const plan = await dryRun(paths);
    expect(plan.keptDataUnsafe).toEqual([
      { where: 'runs.manifest_json', kind: 'user_id', identifiers: 1 },
      { where: 'reports/2024-05/leaky.csv', kind: 'station_id', identifiers: 1 },
    ]);
    await expect(runPurge(paths)).rejects.toMatchObject({ code: 'PURGE_KEPT_DATA_UNSAFE', exitCode: 1 });
    expect(hashTree(paths.dataDir)).toEqual(before);
  });

  it('does not mistake a numeric TransactionID equal to a published number for a leak', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    seedReports(paths.reportsDir);
    const store = await openStore(paths.dataDir);
    try {
      await store.connection.run(`update sessions set transaction_id = '123450' where session_id = 1`);
    } finally {
      store.close();
    }
    fs.writeFileSync(path.join(paths.reportsDir, '2024-05', 'energy.csv'), 'energy_wh\n123450\n');
    expect((await dryRun(paths)).keptDataUnsafe).toEqual([]);
    const result = await runPurge(paths);
    expect(result.certificate.verification.passed).toBe(true);
  });

  it('refuses a reports folder inside the data folder (it would be deleted) with USAGE', async () => {
    const paths = setup();
    await seedDataDir(paths.dataDir);
    const nested = { dataDir: paths.dataDir, reportsDir: path.join(paths.dataDir, 'reports') };
    seedReports(nested.reportsDir);
    const before = hashTree(paths.dataDir);
    await expect(dryRun(nested)).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
    await expect(runPurge(nested)).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect(hashTree(paths.dataDir)).toEqual(before);
  });

  it.skipIf(!hasShared)('also removes the real-client fixtures identifiers (needs ../shared)', async () => {
    const paths = setup();
    const ids = readRealClientIds();
    await seedDataDir(paths.dataDir, ids);
    seedReports(paths.reportsDir);
    const reportsBefore = hashTree(paths.reportsDir);
    const identifiers = [...ids.users, ...ids.stations, ...ids.transactions, ...allKnownIdentifiers()];
    expect(grepIdentifiers(paths.dataDir, ids.users).length).toBeGreaterThan(0);

    const result = await runPurge(paths);

    // Every distinctive identifier is gone from every byte; the short counters ('2401') are covered by the
    // certificate's check that every individual table is empty.
    expect(identifiers.filter(isDistinctive).length).toBeGreaterThan(150);
    expect(grepIdentifiers(paths.dataDir, identifiers.filter(isDistinctive))).toEqual([]);
    expect(result.certificate.verification.individualRowsRemaining).toBe(0);
    expect(result.certificate.verification.identifier_sample.notDistinctive).toBeGreaterThan(0);
    const reportsAfter = hashTree(paths.reportsDir);
    for (const [file, sha] of Object.entries(reportsBefore)) expect(reportsAfter[file]).toBe(sha);
  });
});
