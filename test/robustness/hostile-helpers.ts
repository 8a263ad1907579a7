import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { repoRoot } from '../helpers/cli.js';
import { openStore, type Store } from '../../src/store/database.js';
import { peakRssMb } from './figures.js';
import { USER } from './hostile-corpus.js';

/** Shared by the hostile-input specs: registry set-up, store queries, a CLI run that measures peak memory. */

export async function registerStations(dataDir: string, stations: readonly string[]): Promise<void> {
  const store = await openStore(dataDir);
  try {
    let cpId = 0;
    for (const stationId of stations) {
      cpId += 1;
      await store.connection.run(
        `insert into charge_points (cp_id, station_id, user_id, region_code, nominal_power_kw, source, updated_at)
         values ($cpId, $stationId, $userId, '11', 22, 'advenir-registration', now())`,
        { cpId, stationId, userId: USER },
      );
    }
  } finally {
    store.close();
  }
}

export async function rows(store: Store, sql: string, params: Record<string, string | number> = {}): Promise<Record<string, unknown>[]> {
  const reader = await store.connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

export interface MeasuredRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  peakRssMb?: number;
  elapsedS: number;
}

/** Runs the real CLI as a child, sampling its peak resident memory (VmHWM) until it exits; bounded in time. */
export function runCliMeasured(args: string[], timeoutMs = 170_000): Promise<MeasuredRun> {
  const startedMs = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), ...args], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak: number | undefined;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const sampler = setInterval(() => {
      const now = child.pid ? peakRssMb(child.pid) : undefined;
      if (now !== undefined) peak = Math.max(peak ?? 0, now);
    }, 25);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (status, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ status, signal, stdout, stderr, peakRssMb: peak, elapsedS: (Date.now() - startedMs) / 1000 });
    });
  });
}

/** Strings an attacker would try as identifiers, and arbitrary ones (full Unicode, control characters). */
export const identifierArb = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', "'; drop table sessions; --", '"', '\u0000', '$1', '\\', 'R1', 'e\u0301', '\ud800', ' '),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.string({ minLength: 250, maxLength: 300 }),
);

const numberArb = fc.oneof(
  fc.integer({ min: 1_704_067_200, max: 1_735_603_200 }),
  fc.double(),
  fc.constantFrom(-0, 1e308, -1, 0.5, 2 ** 53 + 1, 4_102_444_800, 1_717_200_000_000),
  fc.string({ maxLength: 6 }),
);

const operationArb = fc.record({ StartTransaction: numberArb, StopTransaction: numberArb, StartValue: numberArb, StopValue: numberArb }, { requiredKeys: [] });
const curveArb = fc.array(fc.record({ timestamp: numberArb, value: numberArb }, { requiredKeys: [] }), { maxLength: 8 });
/** A plausible operation (so that some generated sessions are accepted and their identifiers stored). */
const goodOperationArb = fc.integer({ min: 0, max: 10_000_000 }).map((offset) => {
  const start = 1_704_067_200 + offset * 3;
  return { StartTransaction: start, StopTransaction: start + 1800, StartValue: 0, StopValue: 3000 };
});
const sessionArb = fc.oneof(goodOperationArb, goodOperationArb, operationArb, curveArb, fc.jsonValue({ maxDepth: 3 }));

/** Payloads shaped like Advenir requests, with hostile identifiers and numbers, then sometimes mangled as text. */
export const payloadTextArb = fc
  .tuple(
    fc.dictionary(
      fc.oneof(fc.constant(USER), fc.constant(USER), identifierArb),
      fc.oneof(fc.dictionary(identifierArb, fc.oneof(fc.dictionary(identifierArb, sessionArb, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 })),
      { maxKeys: 2 },
    ),
    fc.oneof(fc.constant('none'), fc.constant('none'), fc.constant('truncate'), fc.constant('flip'), fc.constant('bom')),
    fc.nat(),
  )
  .map(([value, mangle, at]) => {
    const clean = Buffer.from(JSON.stringify(value), 'utf8');
    if (mangle === 'truncate') return clean.subarray(0, at % Math.max(1, clean.length));
    if (mangle === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), clean]);
    if (mangle === 'flip' && clean.length > 0) {
      const copy = Buffer.from(clean);
      copy[at % copy.length] = (at >> 8) % 256;
      return copy;
    }
    return clean;
  });

/** Every entry under `dir` (recursively), with its permission bits. */
export function walk(dir: string): { file: string; mode: number; isDir: boolean }[] {
  const out: { file: string; mode: number; isDir: boolean }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    out.push({ file, mode: fs.lstatSync(file).mode & 0o777, isDir: entry.isDirectory() });
    if (entry.isDirectory()) out.push(...walk(file));
  }
  return out;
}

/** [relative path, mode] of what the pipeline created in a data dir that is not owner-only (inbox/ is the operators' drop folder). */
export function notOwnerOnly(dataDir: string): [string, string][] {
  const bad: [string, string][] = [];
  if ((fs.statSync(dataDir).mode & 0o777) !== 0o700) bad.push(['.', (fs.statSync(dataDir).mode & 0o777).toString(8)]);
  for (const { file, mode, isDir } of walk(dataDir)) {
    const relative = path.relative(dataDir, file);
    if (relative === 'inbox' || relative.startsWith(`inbox${path.sep}`)) continue;
    if (mode !== (isDir ? 0o700 : 0o600)) bad.push([relative, mode.toString(8)]);
  }
  return bad;
}
