import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';
import { recoverReportDir } from '../../src/report/atomic-dir.js';
import { openStore } from '../../src/store/database.js';
import { recordFigures } from './figures.js';
import { rows } from './hostile-helpers.js';

/**
 * Issue 9, point 2: SIGKILL during a monthly run (`pipeline run`, real CLI) at many moments — while it imports a
 * late delivery, builds the models, writes the reports. After each kill: each file of the delivery is in the store wholly or
 * not at all (exact counts, no duplicate), and reports/<month>/ is the old complete set or the new complete set (after
 * the documented recovery of an interrupted rename). A final run ends with exactly the new set.
 */

const MONTH = '2024-03';
/**
 * Moments of the time-based kills, as fractions of an uninterrupted run's duration (measured on the reference copy);
 * two more kills wait for the report folder being written, and for the new set being published.
 */
const KILL_FRACTIONS = [0.04, 0.1, 0.18, 0.27, 0.37, 0.48, 0.6, 0.75];

type ReportSet = Record<string, string>;

/**
 * The published content of reports/<month>/: sha256 of each file, once the set is checked complete against its
 * manifest (every listed file present with its size and sha256, nothing else). Left out of the comparison: the
 * manifest's run_id and generated_at, and quality.csv, whose store-level rows count every run's retry pass (a
 * killed run that got that far adds one): they describe the run, not the month.
 * (This test found input_fingerprint varying between identical runs: it hashed thread-order double sums.)
 */
function reportSet(reportsDir: string): ReportSet | undefined {
  const monthDir = path.join(reportsDir, MONTH);
  if (!fs.existsSync(monthDir)) return undefined;
  const sha = (name: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(monthDir, name))).digest('hex');
  const manifest = JSON.parse(fs.readFileSync(path.join(monthDir, 'manifest.json'), 'utf8'));
  const listed = (manifest.files as { name: string; bytes: number; sha256: string }[]).map((f) => ({ ...f, actual: sha(f.name), size: fs.statSync(path.join(monthDir, f.name)).size }));
  expect(fs.readdirSync(monthDir).sort()).toEqual([...listed.map((f) => f.name), 'manifest.json'].sort());
  for (const f of listed) expect([f.name, f.actual, f.size]).toEqual([f.name, f.sha256, f.bytes]);
  const set: ReportSet = Object.fromEntries(listed.filter((f) => f.name !== 'quality.csv').map((f) => [f.name, f.actual]));
  set['manifest.json (month fields)'] = JSON.stringify({ ...manifest, run_id: undefined, generated_at: undefined, files: undefined });
  return set;
}

interface StoreFacts {
  sessions: number;
  distinctKeys: number;
  /** Sessions accepted per loaded file of the late delivery, by file name. */
  lateFiles: Record<string, number>;
}

async function storeFacts(dataDir: string): Promise<StoreFacts> {
  const store = await openStore(dataDir);
  try {
    const [facts] = await rows(
      store,
      `select (select count(*)::integer from sessions) as sessions,
              (select count(*)::integer from (select distinct user_id, station_id, transaction_id from sessions)) as distinct_keys`,
    );
    const late = await rows(store, `select source_file, accepted from ingest_batches where source_file like '%late-delivery%'`);
    const lateFiles = Object.fromEntries(late.map((r) => [path.basename(String(r.source_file)), Number(r.accepted)]));
    return { sessions: Number(facts.sessions), distinctKeys: Number(facts.distinct_keys), lateFiles };
  } finally {
    store.close();
  }
}

/**
 * Starts `pipeline run` and SIGKILLs it after `delayMs`, as soon as its temporary report folder appears, or as soon
 * as the new set is in place.
 */
function killRun(dataDir: string, reportsDir: string, delayMs: number | 'writing-reports' | 'just-published'): Promise<'killed' | 'finished'> {
  const manifest = path.join(reportsDir, MONTH, 'manifest.json');
  const generatedAt = () => (fs.existsSync(manifest) ? fs.readFileSync(manifest, 'utf8').match(/"generated_at":\s*"([^"]+)"/)?.[1] : undefined);
  const before = generatedAt();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), '--data-dir', dataDir, '--reports-dir', reportsDir, 'run', '--month', MONTH], { stdio: 'ignore' });
    let outcome: 'killed' | 'finished' = 'finished';
    const kill = () => {
      if (child.exitCode !== null) return;
      outcome = 'killed';
      child.kill('SIGKILL');
    };
    const timers: NodeJS.Timeout[] = [];
    if (delayMs === 'writing-reports') {
      timers.push(setInterval(() => {
        if (fs.existsSync(reportsDir) && fs.readdirSync(reportsDir).some((e) => e.startsWith(`.tmp-${MONTH}-`))) kill();
      }, 2));
    } else if (delayMs === 'just-published') {
      // Right after the rename that publishes the new set (the old one is still being deleted, index.html written).
      timers.push(setInterval(() => {
        const now = generatedAt();
        if (now !== undefined && now !== before) kill();
      }, 2));
    } else timers.push(setTimeout(kill, delayMs));
    child.on('exit', () => {
      timers.forEach((t) => clearInterval(t));
      resolve(outcome);
    });
  });
}

describe('SIGKILL during pipeline run', () => {
  let dir: string;
  const dataDir = () => path.join(dir, 'data');
  const reportsDir = () => path.join(dir, 'reports');

  beforeAll(() => {
    dir = tempDir('robust-run-');
  });
  afterAll(() => {
    if (!process.env.KEEP_ROBUSTNESS_DIRS) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the store exact and the reports as the old or the new complete set, whatever the moment', async () => {
    expect(runCli(['--data-dir', dataDir(), 'sample', '--month', MONTH, '--sessions', '300']).status).toBe(0);
    // Hold back the last week's deliveries: they arrive after the first run (a late delivery).
    const inbox = path.join(dataDir(), 'inbox', `sample-${MONTH}`);
    const late = path.join(dir, 'late');
    fs.mkdirSync(late);
    for (const name of fs.readdirSync(inbox).filter((n) => /-s5\.json$/.test(n))) fs.renameSync(path.join(inbox, name), path.join(late, name));

    const first = runCli(['--data-dir', dataDir(), '--reports-dir', reportsDir(), 'run', '--month', MONTH]);
    expect(first.status, first.stderr).toBe(0);
    const oldSet = reportSet(reportsDir())!;
    const oldFacts = await storeFacts(dataDir());

    fs.cpSync(late, path.join(dataDir(), 'inbox', 'late-delivery'), { recursive: true });
    // The new complete set, computed from a copy that nobody kills.
    const refDir = path.join(dir, 'ref');
    fs.cpSync(dataDir(), path.join(refDir, 'data'), { recursive: true });
    const refStartedMs = Date.now();
    const ref = runCli(['--data-dir', path.join(refDir, 'data'), '--reports-dir', path.join(refDir, 'reports'), 'run', '--month', MONTH]);
    expect(ref.status, ref.stderr).toBe(0);
    const refDurationMs = Date.now() - refStartedMs;
    const newSet = reportSet(path.join(refDir, 'reports'))!;
    const newFacts = await storeFacts(path.join(refDir, 'data'));
    expect(newSet).not.toEqual(oldSet);
    expect(newFacts.sessions).toBeGreaterThan(oldFacts.sessions);

    let kills = 0;
    const seen = { old: 0, new: 0 };
    let partialDeliveries = 0;
    const delays = [...KILL_FRACTIONS.map((f) => Math.round(f * refDurationMs)), 'writing-reports' as const, 'just-published' as const];
    for (const delay of delays) {
      const outcome = await killRun(dataDir(), reportsDir(), delay);
      if (outcome === 'killed') kills += 1;
      // A kill between the two renames leaves `.old-<month>-*` and no <month>: the next command puts it back.
      recoverReportDir(reportsDir(), MONTH);
      const now = reportSet(reportsDir());
      const differs = (set: ReportSet) => Object.keys(set).filter((k) => set[k] !== now?.[k]).map((k) => `${k}: ${now?.[k]} vs ${set[k]}`);
      expect([oldSet, newSet], `after a kill at ${delay}: differs from old in ${differs(oldSet)}, from new in ${differs(newSet)}`).toContainEqual(now);
      if (JSON.stringify(now) === JSON.stringify(oldSet)) seen.old += 1;
      else seen.new += 1;
      // Atomic per file (one transaction each): the store holds the files of the delivery it recorded, wholly.
      const facts = await storeFacts(dataDir());
      const loaded = Object.keys(facts.lateFiles);
      for (const name of loaded) expect(facts.lateFiles[name], name).toBe(newFacts.lateFiles[name]);
      const expected = oldFacts.sessions + loaded.reduce((n, name) => n + newFacts.lateFiles[name], 0);
      expect(facts.sessions, `sessions after a kill at ${delay}`).toBe(expected);
      expect(facts.distinctKeys).toBe(facts.sessions);
      partialDeliveries += loaded.length > 0 && loaded.length < Object.keys(newFacts.lateFiles).length ? 1 : 0;
    }
    expect(kills).toBeGreaterThanOrEqual(delays.length / 2);

    const last = runCli(['--data-dir', dataDir(), '--reports-dir', reportsDir(), 'run', '--month', MONTH]);
    expect(last.status, last.stderr).toBe(0);
    expect(reportSet(reportsDir())).toEqual(newSet);
    expect(await storeFacts(dataDir())).toEqual(newFacts);
    expect(fs.readdirSync(reportsDir()).filter((e) => e.startsWith('.'))).toEqual([]);
    recordFigures('crash-run', {
      check: '`pipeline run` SIGKILLed at 10 moments (import of a late delivery, models, report writing, just after publishing), then rerun',
      point: 2,
      faults_injected: kills,
      sessions_stored: newFacts.sessions,
      measures: { kill_moments_ms: delays.join(' '), sessions_before_delivery: oldFacts.sessions, reports_old_set_after_kill: seen.old, reports_new_set_after_kill: seen.new, kills_between_two_files: partialDeliveries },
    });
  }, 300_000);
});
