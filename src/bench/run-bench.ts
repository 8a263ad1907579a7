import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOutput } from '../cli/output.js';
import { defaultRunParams } from '../config/params.js';
import { openStore } from '../store/database.js';
import { parseMonth } from '../util/month.js';
import { readBenchArgs } from './bench-args.js';

/**
 * `npm run bench -- [--sessions N] [--seed S] [--month YYYY-MM] [--reuse]` (issue 4): builds a fresh
 * deterministic store under .bench/ (in a child process, so that its memory does not count), then times in
 * this one process the floor (one plain scan of every column the run reads; median of three) and the whole monthly run
 * (`runMonth`: import, slot models, data tests, indicators, reports). Prints one JSON line on stdout.
 */
interface BenchArgs {
  sessions: number;
  seed: number;
  month: string;
  reuse: boolean;
}

function parseArgs(argv: string[]): BenchArgs {
  const args = readBenchArgs(argv, { sessions: 5_000_000, seed: 1, month: '2024-03', reuse: false });
  if (!Number.isInteger(args.sessions) || args.sessions < 10) throw new Error('--sessions must be a whole number >= 10');
  return args;
}

/** The columns `runMonth` reads from the big tables, each read once, aggregated so nothing is materialised. */
const FLOOR_QUERIES = [
  'select sum(session_id), sum(ts_s), sum(value_wh) from curve_points',
  `select sum(session_id), sum(cp_id), sum(start_s), sum(stop_s), sum(energy_wh), sum(point_count),
       sum(max_power_wh_per_s), max(user_id), max(kind)
   from sessions`,
  'select sum(cp_id), max(region_code), sum(nominal_power_kw) from charge_points',
];

/**
 * The floor, timed FLOOR_REPEATS times on a freshly opened store (as the run opens it) and the median kept: one
 * scan varies 0.3-1.1 s with what the process and the page cache did just before, which alone moved the ratio
 * from 8 to 31 with nothing changed in the run.
 */
const FLOOR_REPEATS = 3;

async function timeFloor(dataDir: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const samples: Array<{ seconds: number; cpuSeconds: number }> = [];
  for (let i = 0; i < FLOOR_REPEATS; i++) samples.push(await timeFloorOnce(dataDir));
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)];
}

async function timeFloorOnce(dataDir: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const store = await openStore(dataDir);
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const sql of FLOOR_QUERIES) await store.connection.runAndReadAll(sql);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu) };
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve('.bench');
  const dataDir = path.join(root, `store-${args.sessions}-${args.seed}-${args.month}`);
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (!args.reuse || !fs.existsSync(dataDir)) {
    process.stderr.write(`bench: generating ${args.sessions} sessions (seed ${args.seed}, ${args.month}) in ${dataDir}\n`);
    const generated = spawnSync(process.execPath, [path.join(here, 'generate-store.js'), '--dir', dataDir,
      '--sessions', String(args.sessions), '--seed', String(args.seed), '--month', args.month], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (generated.status !== 0) throw new Error('store generation failed');
  }
  const month = parseMonth(args.month);
  const floor = await timeFloor(dataDir);
  const { runMonth } = await import('../indicators/run-month.js');
  const output = createOutput({ json: true }, { stdout: process.stderr as unknown as typeof process.stdout, stderr: process.stderr });
  const paths = { dataDir, reportsDir: path.join(root, 'reports') };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runMonth(paths, month, defaultRunParams(), output);
  const runSeconds = (performance.now() - started) / 1000;
  const runCpuSeconds = cpuSecondsSince(cpu);
  const line = {
    timed: 'runMonth',
    month: args.month,
    seed: args.seed,
    sessions: result.models.sessions,
    curve_points: result.models.curvePoints,
    episodes: result.models.episodes,
    run_s: round(runSeconds),
    models_s: round(result.models.seconds),
    floor_s: round(floor.seconds),
    ratio: round(runSeconds / floor.seconds),
    run_cpu_s: round(runCpuSeconds),
    floor_cpu_s: round(floor.cpuSeconds),
    cpu_ratio: round(runCpuSeconds / floor.cpuSeconds),
    sessions_per_s: Math.round(result.models.sessions / runSeconds),
    points_per_s: Math.round(result.models.curvePoints / runSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    cores: (await import('node:os')).availableParallelism(),
    load_avg_1m: round((await import('node:os')).loadavg()[0]),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** CPU time of this process (DuckDB's threads included) since `start`: wall time alone misleads on a busy host. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
