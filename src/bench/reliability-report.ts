import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run reliability` (issue 9, point 6): runs the robustness suite (test/robustness, *.spec.ts) and the
 * robustness checks that live beside their modules (kill -9 of ingest, serve and purge, atomic reports, leak and
 * property tests) with vitest's JSON reporter, reads the figures each robustness spec wrote to
 * test-artifacts/robustness/, and rewrites docs/reliability.md. `--from-artifacts` skips the runs and rebuilds
 * the page from the last ones (e.g. right after `npm run test:robustness`).
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifactsDir = path.join(repoRoot, 'test-artifacts', 'robustness');
const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

/** Robustness checks written with their modules (issues 3, 5, 7, 8): what each does, as its source sets it up. */
const EXISTING_CHECKS: { file: string; point: number; check: string; faults?: number; sessions?: string }[] = [
  { file: 'test/ingest/kill.test.ts', point: 2, check: 'SIGKILL of `pipeline ingest` inside a file\'s transaction (6,000 sessions, 360,000 points), then rerun and rerun again', faults: 1, sessions: '6,000 / - / 6,000 once' },
  { file: 'test/serve/crash.test.ts', point: 2, check: 'SIGKILL of `pipeline serve` while 6 clients send, twice; acknowledged sessions in exactly one landing file, 202 after restart', faults: 2 },
  { file: 'test/purge/cli.test.ts', point: 2, check: 'SIGKILL of `pipeline purge` at each failpoint and at 4 arbitrary moments; reruns complete with one certificate; no identifier left in any byte' },
  { file: 'test/report/atomic.test.ts', point: 2, check: 'Crash between the two renames of reports/<month>/: the previous set is put back' },
  { file: 'test/serve/ingest-while-serving.test.ts', point: 3, check: '`pipeline ingest` loading landing files while the service takes requests: each acknowledged session stored once' },
  { file: 'test/serve/http.test.ts', point: 4, check: 'Service answers: 401 (missing, wrong, unknown credentials), 104 foreign UserID, 413, 429, 503 after purge' },
  { file: 'test/ingest/property.test.ts', point: 1, check: 'fast-check: validation core never throws on random and mutated payloads; loader accounting received = accepted + duplicates + rejected' },
  { file: 'test/report/leak.test.ts', point: 5, check: 'No store identifier in any report file (Parquet decoded), for several suppression thresholds' },
];

/**
 * What a robustness spec measured (inputs tried, faults injected, sessions acknowledged and stored), written by the
 * specs (test/robustness/figures.ts) to test-artifacts/robustness/<id>.json and read back here.
 */
export interface Figures {
  /** Row of the table: what is tested. */
  check: string;
  /** Point of issue 9 (1 hostile payloads ... 5 leaks). */
  point: number;
  inputs_tried?: number;
  faults_injected?: number;
  sessions_sent?: number;
  sessions_acknowledged?: number;
  sessions_stored?: number;
  /** Free-form measured numbers (peak RSS, durations...), shown as "key value" in the table. */
  measures?: Record<string, number | string>;
  /** Outcome observed for each named input of the hand-written corpus (the appendix of docs/reliability.md). */
  outcomes?: Record<string, string>;
}

/** Figures as recorded, with the spec's id. */
type RecordedFigures = Figures & { id: string };

interface VitestJson {
  startTime: number;
  testResults: { name: string; startTime?: number; endTime?: number; assertionResults: { title: string; status: string; duration?: number }[] }[];
}

function runVitest(args: string[], outputFile: string): void {
  const result = spawnSync(process.execPath, [vitestBin, 'run', ...args, '--reporter=json', `--outputFile=${outputFile}`], {
    cwd: repoRoot,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) process.stderr.write(`warning: vitest ${args.join(' ')} exited with ${result.status}; failures are shown in the table\n`);
}

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
}

interface Outcome {
  passed: number;
  total: number;
  seconds: number;
}

/** Per test file: passed/total and seconds, from vitest's JSON report. */
function outcomes(report: VitestJson | undefined): Map<string, Outcome> {
  const map = new Map<string, Outcome>();
  for (const file of report?.testResults ?? []) {
    const tests = file.assertionResults.filter((t) => t.status !== 'skipped' && t.status !== 'pending');
    const seconds = tests.reduce((s, t) => s + (t.duration ?? 0), 0) / 1000;
    map.set(path.relative(repoRoot, file.name), { passed: tests.filter((t) => t.status === 'passed').length, total: tests.length, seconds });
  }
  return map;
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
const cell = (text: string) => text.replaceAll('|', '\\|');

function result(outcome: Outcome | undefined): string {
  if (!outcome) return 'not run';
  if (outcome.total === 0) return 'skipped';
  return `${outcome.passed === outcome.total ? 'pass' : '**FAIL**'} ${outcome.passed}/${outcome.total} (${outcome.seconds.toFixed(0)} s)`;
}

function render(figures: RecordedFigures[], robustness: Map<string, Outcome>, existing: Map<string, Outcome>): string {
  const specOf: Record<string, string> = {
    'hostile-ingest': 'test/robustness/hostile-ingest.spec.ts',
    'hostile-serve': 'test/robustness/hostile-serve.spec.ts',
    'crash-run': 'test/robustness/crash-run.spec.ts',
    'load-faults': 'test/robustness/load-faults.spec.ts',
    access: 'test/robustness/access.spec.ts',
    leaks: 'test/robustness/leaks.spec.ts',
  };
  const rows: string[] = [];
  const all = [
    ...figures.map((f) => ({ point: f.point, file: specOf[f.id] ?? f.id, check: f.check, outcome: robustness.get(specOf[f.id] ?? ''), f })),
    ...EXISTING_CHECKS.map((e) => ({ point: e.point, file: e.file, check: e.check, outcome: existing.get(e.file), e })),
  ].sort((a, b) => a.point - b.point || a.file.localeCompare(b.file));
  for (const row of all) {
    const f = 'f' in row ? row.f : undefined;
    const e = 'e' in row ? row.e : undefined;
    const sessions = f && f.sessions_sent !== undefined
      ? `${fmt(f.sessions_sent)} / ${fmt(f.sessions_acknowledged)} / ${fmt(f.sessions_stored)}`
      : f?.sessions_stored !== undefined ? `- / - / ${fmt(f.sessions_stored)}` : e?.sessions ?? '-';
    const measures = Object.entries(f?.measures ?? {}).map(([k, v]) => `${k.replaceAll('_', ' ')} ${typeof v === 'number' ? fmt(v) : v}`).join('; ');
    rows.push(`| ${row.point} | ${cell(row.check)} | \`${row.file}\` | ${result(row.outcome)} | ${fmt(f?.inputs_tried)} | ${fmt(f?.faults_injected ?? e?.faults)} | ${sessions} | ${cell(measures || '-')} |`);
  }
  const totals = {
    inputs: figures.reduce((n, f) => n + (f.inputs_tried ?? 0), 0),
    faults: figures.reduce((n, f) => n + (f.faults_injected ?? 0), 0),
  };
  return `# Reliability: what is tested, and the figures obtained

Generated by \`npm run reliability\` (\`src/bench/reliability-report.ts\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,
Node ${process.version}, ${os.cpus().length} cores: do not edit by hand. The robustness suite itself is
\`npm run test:robustness\` (\`test/robustness/*.spec.ts\`), which \`.ci/run\` calls after \`npm test\`; each spec
writes its figures to \`test-artifacts/robustness/\`, read here. Points are those of issue 9: 1 hostile payloads,
2 crashes, 3 load with faults, 4 access, 5 leaks.

Totals of this run (robustness suite): ${fmt(totals.inputs)} hostile or access inputs tried, ${fmt(totals.faults)} SIGKILLs injected.

| point | what is tested | test | result | inputs tried | faults injected | sessions sent / acknowledged / stored | other figures |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

## Hostile corpus: what each input got
Observed in this run (the specs assert the expected outcome of each; \`test/robustness/hostile-corpus.ts\`).
\`pipeline ingest\` column: sessions accepted and refusals per code (\`n × code\`), or the file error;
\`pipeline serve\` column: HTTP status, \`statut\` and the codes in \`details\`.

| input | pipeline ingest | pipeline serve |
| --- | --- | --- |
${corpusRows(figures)}

## How to read it
- **Hostile inputs** (point 1): the same hand-written corpus (\`test/robustness/hostile-corpus.ts\`: truncated JSON,
  invalid UTF-8, BOM, empty body, \`null\`, arrays at the top, \`1e308\`, \`-0\`, \`"NaN"\`, milliseconds, 2100,
  negative and fractional Wh, a 10,000-point curve, a 50 MB string, 10,000 levels of nesting, duplicate keys,
  \`__proto__\`/\`constructor\`, quotes, SQL fragments, control characters, NUL, lone surrogates, 1 KB identifiers)
  goes to \`pipeline ingest\` and to \`pipeline serve\`, each input with the outcome it must get; fast-check then
  generates payloads with hostile identifiers and numbers, sometimes truncated or with a flipped byte. Peak memory
  is the process's VmHWM.
- **Crashes** (point 2): \`kill -9\` at chosen and at arbitrary moments; after a restart the counts are exact,
  nothing is duplicated, reports/<month>/ is the old or the new complete set, and purge completes.
- **Load with faults** (point 3): sessions sent, acknowledged (answer OK, or 202 for a resend of a session an
  earlier cut request had recorded) and stored once in the store after \`pipeline ingest\`.
- **Access** (point 4): every refusal leaves the landing folder unchanged; passwords are searched in every byte
  of the data dir and in all output; modes of everything the pipeline created are checked (0700/0600).
- **Leaks** (point 5): every identifier the store holds (6 characters or more, not a short number) is searched in
  every report file (Parquet decoded), every log line at the default level, and every command's stdout/stderr.

## Known limits
- A JSON object that repeats a key at the UserID, StationID or TransactionID level (RFC 8259 leaves it
  undefined; \`JSON.parse\` keeps the last) makes the whole payload a 101: nothing of it is loaded.
- The service refuses with 103 a body nested deeper than 64 levels when it carries valid sessions (its landing
  copy must be written back as JSON, which overflows the stack near 10,000 levels); \`pipeline ingest\` refuses
  only the deep session (212) and loads the others.
- Identifiers may hold any Unicode text, control characters and NUL included (stored as sent); a lone UTF-16
  surrogate is refused (213) and bytes that are not UTF-8 make the whole file or body unparsable (103).
- Under load, a client must send again what was not answered OK (a 500, a reset, a refused connection while the
  service restarts): the load test's clients do, and the figures count those resends.
`;
}

/** One row per named corpus input, from the outcomes the two hostile specs recorded. */
function corpusRows(figures: RecordedFigures[]): string {
  const ingest = figures.find((f) => f.id === 'hostile-ingest')?.outcomes ?? {};
  const serve = figures.find((f) => f.id === 'hostile-serve')?.outcomes ?? {};
  const names = [...new Set([...Object.keys(ingest), ...Object.keys(serve)])];
  return names.map((name) => `| ${cell(name)} | ${cell(ingest[name] ?? '-')} | ${cell(serve[name] ?? '-')} |`).join('\n');
}

function main(): void {
  const fromArtifacts = process.argv.includes('--from-artifacts');
  fs.mkdirSync(artifactsDir, { recursive: true });
  const robustnessJson = path.join(artifactsDir, 'vitest-robustness.json');
  const existingJson = path.join(artifactsDir, 'vitest-existing.json');
  if (!fromArtifacts) {
    for (const file of fs.readdirSync(artifactsDir).filter((f) => f.endsWith('.json'))) fs.rmSync(path.join(artifactsDir, file));
    runVitest(['--config', 'test/robustness/vitest.config.ts'], robustnessJson);
    runVitest(EXISTING_CHECKS.map((e) => e.file), existingJson);
  }
  const figures = fs
    .readdirSync(artifactsDir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('vitest-'))
    .sort()
    .map((f) => readJson<RecordedFigures>(path.join(artifactsDir, f))!);
  const page = render(figures, outcomes(readJson<VitestJson>(robustnessJson)), outcomes(readJson<VitestJson>(existingJson)));
  const target = path.join(repoRoot, 'docs', 'reliability.md');
  fs.writeFileSync(target, page);
  process.stdout.write(`wrote ${path.relative(repoRoot, target)}: ${figures.length} robustness specs, ${EXISTING_CHECKS.length} existing checks\n`);
}

main();
