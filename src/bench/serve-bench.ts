import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { addOperator } from '../serve/operators.js';
import { readBenchArgs } from './bench-args.js';

/**
 * `npm run bench:serve` (issue 7, point 4): the real service in its own process on loopback, 16 concurrent
 * keep-alive clients (node:http, no dependency) each sending 500-session operation payloads of new sessions.
 * Reports accepted sessions/s and p50/p99 latency. Target: >= 20,000 sessions/s with p99 < 1 s on 2 cores.
 * The data dir is under .bench/ (real disk, so fsyncs cost what they cost; /tmp may be tmpfs elsewhere).
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const USER_ID = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const LOGIN = 'bench-operator';
const PASSWORD = 'bench-password';

interface BenchOptions {
  /** Analysis worker threads of the service (its --workers). */
  workers: number;
  clients: number;
  sessionsPerRequest: number;
  requests: number;
  stations: number;
}

function parseArgs(argv: string[]): BenchOptions {
  const args = readBenchArgs(argv, { workers: 1, clients: 16, sessions: 500, requests: 800, stations: 2000 });
  return { workers: args.workers, clients: args.clients, sessionsPerRequest: args.sessions, requests: args.requests, stations: args.stations };
}

/** Request r carries sessions [r*n, (r+1)*n); session i is on station i % stations, two hours after the previous one there. */
function payload(r: number, options: BenchOptions): Buffer {
  const stations: Record<string, Record<string, object>> = {};
  for (let i = r * options.sessionsPerRequest; i < (r + 1) * options.sessionsPerRequest; i++) {
    const station = `BENCH${i % options.stations}`;
    const start = 1_700_000_000 + Math.floor(i / options.stations) * 7200;
    (stations[station] ??= {})[`t${i}`] = { StartTransaction: start, StopTransaction: start + 3000, StartValue: 0, StopValue: 9000 };
  }
  return Buffer.from(JSON.stringify({ [USER_ID]: stations }));
}

async function startServer(dataDir: string, workers: number): Promise<{ child: ChildProcess; port: number }> {
  const args = ['--data-dir', dataDir, 'serve', '--port', '0', '--json', '--rate', '0', '--log-level', 'warn', '--workers', String(workers)];
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, port: JSON.parse(line).port as number };
}

function put(agent: http.Agent, port: number, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent, host: '127.0.0.1', port, method: 'PUT', path: '/api/operation/put',
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, Authorization: `Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dataDir = path.join(repoRoot, '.bench', `serve-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await addOperator(dataDir, { login: LOGIN, password: PASSWORD, userIds: [USER_ID] });
  process.stderr.write(`preparing ${options.requests} payloads of ${options.sessionsPerRequest} sessions...\n`);
  const bodies = Array.from({ length: options.requests }, (_, r) => payload(r, options));
  const { child, port } = await startServer(dataDir, options.workers);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  try {
    await put(agent, port, Buffer.from('{}')); // warm-up: authenticates once (scrypt) outside the measure
    const latenciesMs: number[] = [];
    let next = 0;
    let accepted = 0;
    let failures = 0;
    const startedNs = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const t0 = process.hrtime.bigint();
          const answer = await put(agent, port, body);
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          const json = answer.status === 200 ? (JSON.parse(answer.text) as { statut: string; details: object }) : undefined;
          if (json?.statut === 'OK' && Object.keys(json.details).length === 0) accepted += options.sessionsPerRequest;
          else failures += 1;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    latenciesMs.sort((a, b) => a - b);
    const result = {
      server_workers: options.workers,
      clients: options.clients,
      sessions_per_request: options.sessionsPerRequest,
      requests: bodies.length,
      failed_requests: failures,
      seconds: Math.round(seconds * 100) / 100,
      accepted_sessions: accepted,
      sessions_per_s: Math.round(accepted / seconds),
      requests_per_s: Math.round((bodies.length / seconds) * 10) / 10,
      p50_ms: Math.round(percentile(latenciesMs, 50) * 10) / 10,
      p99_ms: Math.round(percentile(latenciesMs, 99) * 10) / 10,
      max_ms: Math.round(latenciesMs[latenciesMs.length - 1] * 10) / 10,
      landing_files: fs.readdirSync(path.join(dataDir, 'landing')).filter((name) => name.endsWith('.json')).length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const target = result.sessions_per_s >= 20_000 && result.p99_ms < 1000 && failures === 0;
    process.stderr.write(
      `serve bench: ${result.sessions_per_s} sessions/s accepted, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms ` +
        `(${options.clients} clients x ${options.sessionsPerRequest}-session payloads, ${options.workers} analysis worker(s)) — target ${target ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
