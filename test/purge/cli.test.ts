import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILPOINTS } from '../../src/purge/failpoint.js';
import { openStore } from '../../src/store/database.js';
import { hasShared, sharedDir, tempDir } from '../helpers/cli.js';
import { buildPrivateCli, type PrivateCli } from './private-cli.js';
import { allKnownIdentifiers, seedDataDir, seedReports } from './seed.js';
import { grepIdentifiers, hashTree, isDistinctive, listFiles } from './scan.js';

/** The real command in a child process, from a private build of the current sources (see private-cli.ts). */
let cli: PrivateCli;
const runCli = (args: string[], env?: Record<string, string>) => cli.run(args, env);
const roots: string[] = [];

beforeAll(() => {
  cli = buildPrivateCli();
}, 180_000);
afterAll(() => {
  cli?.remove();
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

async function seeded() {
  const root = tempDir('purge-cli-');
  roots.push(root);
  const dirs = { dataDir: path.join(root, 'data'), reportsDir: path.join(root, 'reports') };
  await seedDataDir(dirs.dataDir);
  seedReports(dirs.reportsDir);
  return { ...dirs, args: ['--data-dir', dirs.dataDir, '--reports-dir', dirs.reportsDir], reports: hashTree(dirs.reportsDir) };
}

/** What every finished purge must leave, whatever happened on the way. */
function expectCleanlyPurged(dirs: { dataDir: string; reportsDir: string; reports: Record<string, string> }, identifiers = allKnownIdentifiers()) {
  expect(grepIdentifiers(dirs.dataDir, identifiers)).toEqual([]);
  expect(listFiles(dirs.dataDir)).toEqual(['PURGED.json', 'pipeline.duckdb']);
  const after = hashTree(dirs.reportsDir);
  expect(Object.keys(after).sort()).toEqual([...Object.keys(dirs.reports), 'purge-certificate.json', 'purge-certificate.txt'].sort());
  for (const [file, sha] of Object.entries(dirs.reports)) expect(after[file]).toBe(sha);
  const certificate = JSON.parse(fs.readFileSync(path.join(dirs.reportsDir, 'purge-certificate.json'), 'utf8'));
  expect(certificate.verification.passed).toBe(true);
  return certificate;
}

describe('pipeline purge (command line)', () => {
  it('refuses without confirmation when not on a terminal (exit 2), and changes nothing', async () => {
    const dirs = await seeded();
    const before = hashTree(dirs.dataDir);
    const result = runCli(['purge', ...dirs.args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error\[PURGE_NOT_CONFIRMED\]/m);
    expect(hashTree(dirs.dataDir)).toEqual(before);
  });

  it('refuses a data folder without a store (a mistyped --data-dir) and creates nothing there', async () => {
    const missing = path.join(tempDir('purge-typo-'), 'no-such-data');
    const result = runCli(['purge', '--yes', '--data-dir', missing, '--reports-dir', `${missing}-reports`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error\[STORE_NOT_FOUND\]/m);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('--dry-run --json prints the plan without identifiers and changes nothing', async () => {
    const dirs = await seeded();
    const before = hashTree(dirs.dataDir);
    const result = runCli(['purge', '--dry-run', '--json', ...dirs.args]);
    expect(result.status).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.deleted.tables.find((t: { name: string }) => t.name === 'sessions').rows).toBe(4);
    for (const id of allKnownIdentifiers()) expect(result.stdout + result.stderr).not.toContain(id);
    expect(hashTree(dirs.dataDir)).toEqual(before);
  });

  it('after a purge, ingest, serve and run refuse with STORE_PURGED; status says when; reports stay', async () => {
    const dirs = await seeded();
    const purged = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(purged.status, purged.stderr).toBe(0);
    for (const id of allKnownIdentifiers()) expect(purged.stdout + purged.stderr).not.toContain(id);
    const certificate = expectCleanlyPurged(dirs);

    const inboxFile = path.join(path.dirname(dirs.dataDir), 'late.json');
    fs.writeFileSync(inboxFile, JSON.stringify({ 'usr-late-purge-zulu': { 'FR*LATE*1': { 'tx-late-1': { StartTransaction: 1714600800, StopTransaction: 1714604400, StartValue: 0, StopValue: 5000 } } } }));
    const ingest = runCli(['ingest', inboxFile, ...dirs.args]);
    expect(ingest.status).toBe(1);
    expect(ingest.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    const serve = runCli(['serve', '--port', '0', ...dirs.args]);
    expect(serve.status).toBe(1);
    expect(serve.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    const run = runCli(['run', '--month', '2024-05', ...dirs.args]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    // Nor may an operator account, sample inputs or a carbon series change the certified folder.
    const operator = runCli(['operators', 'add', '--login', 'late-op', '--user-id', 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1', ...dirs.args]);
    expect(operator.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    const sample = runCli(['sample', '--month', '2024-06', ...dirs.args]);
    expect(sample.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    const carbon = runCli(['carbon', 'import', inboxFile, ...dirs.args]);
    expect(carbon.stderr).toMatch(/^error\[STORE_PURGED\]/m);
    expect(fs.existsSync(path.join(dirs.dataDir, 'service'))).toBe(false);
    expect(fs.existsSync(path.join(dirs.dataDir, 'inbox'))).toBe(false);
    const status = runCli(['status', '--json', ...dirs.args]);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout).purgedAt).toBe(certificate.purged_at);

    // Nothing came back, the reports are as they were, and a second purge is a no-op.
    expect(grepIdentifiers(dirs.dataDir, [...allKnownIdentifiers(), 'usr-late-purge-zulu'])).toEqual([]);
    const again = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).alreadyPurged).toBe(true);
    expectCleanlyPurged(dirs);
  });
});

describe('pipeline purge run again after files reappeared', () => {
  it('deletes them, certifies that, and keeps the first certificate beside the new one', async () => {
    const dirs = await seeded();
    expect(runCli(['purge', '--yes', ...dirs.args]).status).toBe(0);
    const first = fs.readFileSync(path.join(dirs.reportsDir, 'purge-certificate.json'), 'utf8');
    fs.mkdirSync(path.join(dirs.dataDir, 'inbox'));
    fs.writeFileSync(path.join(dirs.dataDir, 'inbox', 'late.json'), JSON.stringify({ 'usr-late-copy-yankee': {} }));
    const again = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(again.status, again.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dirs.reportsDir, 'purge-certificate-1.json'), 'utf8')).toBe(first);
    expect(fs.existsSync(path.join(dirs.reportsDir, 'purge-certificate-1.txt'))).toBe(true);
    const second = JSON.parse(fs.readFileSync(path.join(dirs.reportsDir, 'purge-certificate.json'), 'utf8'));
    expect(second.deleted.rows).toBe(0);
    expect(second.deleted.files).toContainEqual({ folder: 'inbox', files: 1, bytes: 27 });
    expect(listFiles(dirs.dataDir)).toEqual(['PURGED.json', 'pipeline.duckdb']);
  });
});

describe('pipeline purge is crash-safe (kill -9 mid-way, rerun)', () => {
  let reference: { deleted: { tables: unknown; file_count: number } };
  beforeAll(async () => {
    const dirs = await seeded();
    const result = runCli(['purge', '--yes', ...dirs.args]);
    expect(result.status, result.stderr).toBe(0);
    reference = expectCleanlyPurged(dirs);
  });

  it.each(FAILPOINTS.map((point) => [point]))('killed at %s, a rerun completes the purge with one certificate', async (point) => {
    const dirs = await seeded();
    const killed = runCli(['purge', '--yes', ...dirs.args], { PIPELINE_FAILPOINT: `purge:${point}` });
    expect(killed.signal, `status ${killed.status}: ${killed.stderr}`).toBe('SIGKILL');
    const certified = fs.existsSync(path.join(dirs.reportsDir, 'purge-certificate.json'));
    // The certificate exists only once the verification has passed.
    expect(certified).toBe(point === 'certificate-written');
    if (point !== 'planned') {
      // From the moment the store is marked, a half-purged store accepts nothing.
      expect(fs.existsSync(path.join(dirs.dataDir, 'PURGED.json'))).toBe(true);
    }
    const rerun = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).resumed).toBe(true);
    const certificate = expectCleanlyPurged(dirs);
    expect(certificate.deleted.tables).toEqual(reference.deleted.tables);
    expect(certificate.deleted.file_count).toBe(reference.deleted.file_count);
  });

  it('measures again when killed before marking, so that reports a run rewrote meanwhile do not block it forever', async () => {
    const dirs = await seeded();
    const killed = runCli(['purge', '--yes', ...dirs.args], { PIPELINE_FAILPOINT: 'purge:planned' });
    expect(killed.signal).toBe('SIGKILL');
    // The store was not marked yet: a monthly run could rewrite a report in between.
    const report = path.join(dirs.reportsDir, Object.keys(hashTree(dirs.reportsDir)).sort()[0]);
    fs.appendFileSync(report, '\n');
    const rerun = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(fs.existsSync(path.join(dirs.dataDir, 'purge-sample.hex'))).toBe(false);
  });

  it('fails loudly without a certificate when individual data reappear before the verification, then completes', async () => {
    const dirs = await seeded();
    expect(runCli(['purge', '--yes', ...dirs.args], { PIPELINE_FAILPOINT: 'purge:rebuilt' }).signal).toBe('SIGKILL');
    // Someone (a service left running) drops a landing file naming a known UserID after the deletion step.
    fs.mkdirSync(path.join(dirs.dataDir, 'landing'), { recursive: true });
    fs.writeFileSync(path.join(dirs.dataDir, 'landing', 'late.ndjson'), `{"${allKnownIdentifiers()[0]}":{}}\n`);
    const failed = runCli(['purge', '--yes', '--json', ...dirs.args]);
    expect(failed.status).toBe(1);
    const error = JSON.parse(failed.stderr.trim().split('\n').pop()!);
    expect(error.code).toBe('PURGE_VERIFICATION_FAILED');
    expect(error.details.matches).toEqual([{ folder: 'landing', kind: 'user_id', files: 1 }]);
    expect(failed.stderr).not.toContain(allKnownIdentifiers()[0]);
    expect(fs.existsSync(path.join(dirs.reportsDir, 'purge-certificate.json'))).toBe(false);
    // The rerun deletes the late file again, rebuilds, verifies and certifies.
    const rerun = runCli(['purge', '--yes', ...dirs.args]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expectCleanlyPurged(dirs);
  });

  it('killed by an outside kill -9 at arbitrary moments after it started, reruns end clean', async () => {
    for (const delayMs of [0, 40, 120, 300]) {
      const dirs = await seeded();
      const stateFile = path.join(dirs.dataDir, 'purge-state.json');
      const child = cli.spawn(['purge', '--yes', ...dirs.args]);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Wait until the purge has begun (its state file exists), then let it run delayMs more before killing it.
      const started = Date.now();
      while (!fs.existsSync(stateFile) && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 2));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await exited;
      const rerun = runCli(['purge', '--yes', ...dirs.args]);
      expect(rerun.status, rerun.stderr).toBe(0);
      expectCleanlyPurged(dirs);
    }
  });
});

describe.skipIf(!hasShared)('end to end through the real commands: sample month + real-client fixtures (needs ../shared)', () => {
  it('ingests, runs the month, purges: no identifier left in any byte, reports unchanged', async () => {
    const root = tempDir('purge-e2e-');
    roots.push(root);
    const dirs = { dataDir: path.join(root, 'data'), reportsDir: path.join(root, 'reports') };
    const args = ['--data-dir', dirs.dataDir, '--reports-dir', dirs.reportsDir];
    const sample = runCli(['sample', '--month', '2024-05', '--sessions', '300', ...args]);
    expect(sample.status, sample.stderr).toBe(0);
    const realClients = path.join(sharedDir, 'fixtures', 'real-clients');
    const fixtures = fs.readdirSync(realClients).filter((f) => f.endsWith('.json')).map((f) => path.join(realClients, f));
    const run = runCli(['run', '--month', '2024-05', ...args]);
    const ingest = runCli(['ingest', path.join(dirs.dataDir, 'inbox'), ...fixtures, ...args]);
    expect(ingest.status, ingest.stderr).toBe(0);
    // This test is about the purge: when the monthly run (other owners, built concurrently) fails, the month's
    // reports are stood in for, and the ingested sample and real-client data are purged all the same.
    if (run.status !== 0) seedReports(dirs.reportsDir);
    expect(fs.existsSync(path.join(dirs.reportsDir, '2024-05'))).toBe(true);
    const identifiers = await storedIdentifiers(dirs.dataDir);
    expect(identifiers.length).toBeGreaterThan(100);
    expect(identifiers).toContain('a6d0e6cf-7cac-477a-ae63-7e753c5bdda1');
    const reports = hashTree(dirs.reportsDir);

    const purged = runCli(['purge', '--yes', ...args]);
    expect(purged.status, purged.stderr).toBe(0);
    expectCleanlyPurged({ ...dirs, reports }, identifiers);
  });
});

/**
 * Every distinct identifier the real ingest stored (sessions, registry, held and rejected sessions), but those
 * too short to prove anything (scan.ts) and those that also occur in a kept text (a run's manifest holds numbers
 * such as energies, where a 6-digit TransactionID can occur by chance).
 */
async function storedIdentifiers(dataDir: string): Promise<string[]> {
  const store = await openStore(dataDir);
  try {
    const reader = await store.connection.runAndReadAll(`
      select distinct v from (
        select unnest([user_id, station_id, transaction_id]) as v from sessions
        union all select unnest([user_id, station_id, id_pdc_itinerance]) from charge_points
        union all select unnest([user_id, station_id, transaction_id]) from rejections
      ) where v is not null order by v`);
    const kept = await store.connection.runAndReadAll(
      `select coalesce(string_agg(concat_ws(' ', month, params_json, manifest_json), ' '), '') as text from runs`,
    );
    const keptText = String(kept.getRowObjectsJS()[0].text);
    return reader
      .getRowObjectsJS()
      .map((row) => String(row.v))
      .filter((id) => isDistinctive(id) && !keptText.includes(id));
  } finally {
    store.close();
  }
}
