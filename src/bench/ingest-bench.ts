import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importRegistryFile } from '../formats/registry/import.js';
import { openStore } from '../store/database.js';
import { readBenchArgs } from './bench-args.js';

/**
 * `npm run bench:ingest -- [--sessions N] [--sessions-per-file 5000] [--curve-share 0.6] [--points-per-curve 97] [--keep]`
 * (issue 3 point 7). Generates Advenir payload files (curves and operations), a registration CSV declaring
 * their charge points, then times `pipeline ingest` on them in a child process (the registry import is not timed)
 * and prints one JSON line: sessions/s, curve points/s and the child's peak RSS.
 * Deterministic: a fixed-seed generator, so two runs ingest the same bytes.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const cliMain = path.resolve(here, '..', 'cli', 'main.js');
const STATIONS = 500;
const USERS = 50;

interface BenchArgs {
  sessions: number;
  sessionsPerFile: number;
  curveShare: number;
  pointsPerCurve: number;
  keep: boolean;
}

function parseArgs(argv: string[]): BenchArgs {
  const args = readBenchArgs(argv, {
    sessions: 50000, 'sessions-per-file': 5000, 'curve-share': 0.6, 'points-per-curve': 97, keep: false,
  });
  return {
    sessions: args.sessions,
    sessionsPerFile: args['sessions-per-file'],
    curveShare: args['curve-share'],
    pointsPerCurve: args['points-per-curve'],
    keep: args.keep,
  };
}

/** mulberry32: a small seeded generator (the bench must not depend on Math.random). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const userId = (u: number) => `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`;
const stationId = (s: number) => `BENCH${String(s).padStart(5, '0')}`;

/** Writes the payload files and the registration CSV; returns the number of curve points written. */
function generate(dir: string, args: BenchArgs): number {
  const rand = random(42);
  const t0 = 1704067200; // 2024-01-01T00:00:00Z
  let points = 0;
  const csv = ['user_id,station_id,id_pdc_itinerance,code_insee_commune,puissance_nominale_kw,date_mise_en_service'];
  for (let s = 0; s < STATIONS; s++) csv.push(`${userId(s % USERS)},${stationId(s)},,75056,22,2023-01-01`);
  fs.writeFileSync(path.join(dir, 'registry.csv'), `${csv.join('\n')}\n`);
  const payloadDir = path.join(dir, 'payloads');
  fs.mkdirSync(payloadDir);
  for (let first = 0, file = 0; first < args.sessions; first += args.sessionsPerFile, file++) {
    const body: Record<string, Record<string, Record<string, unknown>>> = {};
    for (let i = first; i < Math.min(args.sessions, first + args.sessionsPerFile); i++) {
      const s = i % STATIONS;
      const start = t0 + Math.floor(i / STATIONS) * 43200 + Math.floor(rand() * 3600);
      const stations = (body[userId(s % USERS)] ??= {});
      const transactions = (stations[stationId(s)] ??= {});
      if (rand() < args.curveShare) {
        const curve = new Array(args.pointsPerCurve);
        let wh = Math.floor(rand() * 100000);
        for (let p = 0; p < args.pointsPerCurve; p++) {
          curve[p] = { timestamp: start + p * 300, value: wh };
          wh += Math.floor(rand() * 600); // <= 7.2 kW over 5 minutes
        }
        transactions[`T${i}`] = curve;
        points += args.pointsPerCurve;
      } else {
        const duration = 600 + Math.floor(rand() * 30000);
        const startValue = Math.floor(rand() * 100000);
        transactions[`T${i}`] = {
          StartTransaction: start,
          StopTransaction: start + duration,
          StartValue: startValue,
          StopValue: startValue + Math.floor((duration * 7000) / 3600),
        };
      }
    }
    fs.writeFileSync(path.join(payloadDir, `payload-${String(file).padStart(5, '0')}.json`), JSON.stringify(body));
  }
  return points;
}

/** Child mode: run the real CLI, then report this process's peak RSS on the last stderr line. */
async function child(argv: string[]): Promise<void> {
  const { main } = (await import(cliMain)) as { main: (a: string[]) => Promise<number> };
  const started = performance.now();
  const code = await main(argv);
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  process.stderr.write(`\nBENCH ${JSON.stringify({ code, seconds, cpuSeconds, maxRssKb: usage.maxRSS })}\n`);
  process.exitCode = code;
}

function runCli(args: string[]): { stdout: string; bench: { code: number; seconds: number; cpuSeconds: number; maxRssKb: number } } {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`pipeline failed: ${result.stderr}`);
  return { stdout: result.stdout, bench: JSON.parse(line.slice(6)) };
}

async function bench(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-bench-'));
  try {
    const curvePoints = generate(dir, args);
    const dataDir = path.join(dir, 'data');
    const store = await openStore(dataDir);
    try {
      await importRegistryFile(store, path.join(dir, 'registry.csv'));
    } finally {
      store.close();
    }
    const ingest = runCli(['ingest', path.join(dir, 'payloads'), '--data-dir', dataDir, '--json', '--errors-limit', '0']);
    const summary = JSON.parse(ingest.stdout) as { sessions: { received: number; accepted: number }; curve_points: number };
    const seconds = ingest.bench.seconds;
    process.stdout.write(
      `${JSON.stringify({
        sessions: summary.sessions.received,
        files: Math.ceil(args.sessions / args.sessionsPerFile),
        accepted: summary.sessions.accepted,
        curve_points: summary.curve_points,
        generated_curve_points: curvePoints,
        seconds: Number(seconds.toFixed(3)),
        sessions_per_s: Math.round(summary.sessions.received / seconds),
        curve_points_per_s: Math.round(summary.curve_points / seconds),
        peak_rss_mb: Math.round(ingest.bench.maxRssKb / 1024),
        // CPU seconds of the ingest process (all threads, startup included): comparable across machine loads.
        cpu_seconds: Number(ingest.bench.cpuSeconds.toFixed(3)),
        load_average_1m: Number(os.loadavg()[0].toFixed(2)),
      })}\n`,
    );
  } finally {
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv.slice(1));
else await bench(argv);
