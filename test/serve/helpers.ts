import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addOperator } from '../../src/serve/operators.js';
import { startService, type RunningService, type ServiceOptions } from '../../src/serve/service.js';
import { createLogger } from '../../src/serve/logger.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const realClientsDir = path.join(sharedDir, 'fixtures', 'real-clients');
export const hasRealClients = fs.existsSync(realClientsDir);

/** The specification's public test UserIDs (seed §4.1 "Tests"). */
export const USER_A = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
export const USER_B = '9df3ba5c-e20a-4867-9c59-ce9ee4517d3e';
export const USER_C = '604ac1be-b1f4-4d90-aa23-629a694cd8b5';

export const PASSWORD_A = 'password-of-op-a';
export const PASSWORD_B = 'password-of-op-b';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-serve-'));
}

/** Two operators: op-a holds USER_A, op-b holds USER_B and USER_C. */
export async function withOperators(dataDir: string): Promise<void> {
  await addOperator(dataDir, { login: 'op-a', password: PASSWORD_A, userIds: [USER_A] });
  await addOperator(dataDir, { login: 'op-b', password: PASSWORD_B, userIds: [USER_B, USER_C] });
}

export async function startTestService(dataDir: string, options: Partial<ServiceOptions> = {}): Promise<RunningService> {
  return startService({ dataDir, host: '127.0.0.1', port: 0, logger: createLogger('silent'), ratePerS: 0, ...options });
}

export function basic(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export async function send(
  service: RunningService,
  path: string,
  body: string | object,
  options: { method?: string; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
  const auth = options.auth === undefined ? basic('op-a', PASSWORD_A) : options.auth;
  if (auth) headers.Authorization = auth;
  const response = await fetch(`${service.url}${path}`, {
    method: options.method ?? 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** A valid operation (format 2), `i` making it unique; times in 2024 (after the programme start, before now). */
export function operation(i: number): { StartTransaction: number; StopTransaction: number; StartValue: number; StopValue: number } {
  const start = 1_717_200_000 + i * 7200;
  return { StartTransaction: start, StopTransaction: start + 3600, StartValue: 1000 * i, StopValue: 1000 * i + 7000 };
}

export function operationsBody(userId: string, stationId: string, from: number, count: number): Record<string, unknown> {
  const transactions: Record<string, unknown> = {};
  for (let i = from; i < from + count; i++) transactions[`tx-${i}`] = operation(i);
  return { [userId]: { [stationId]: transactions } };
}

export function landingFiles(dataDir: string): any[] {
  const dir = path.join(dataDir, 'landing');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** The child runs dist/: build it when missing or older than the service sources (npm test's pretest builds it). */
export function ensureBuilt(): void {
  const built = path.join(repoRoot, 'dist', 'serve', 'service.js');
  const sources = fs.readdirSync(path.join(repoRoot, 'src', 'serve')).map((name) => fs.statSync(path.join(repoRoot, 'src', 'serve', name)).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= Math.max(...sources)) return;
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'ignore' });
  } catch {
    // tsc exits non-zero on errors elsewhere in the tree but still emits dist/ (house rule in the brief).
  }
}

