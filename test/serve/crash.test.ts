import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_A, basic, PASSWORD_A, ensureBuilt, landingFiles, operationsBody, repoRoot, tempDataDir, withOperators } from './helpers.js';

/**
 * Issue 7, point 3: SIGKILL the real service (a child process) while clients are sending, restart it, and
 * check that every session acknowledged before the kill is stored exactly once and gets 202 afterwards.
 */

const BATCH = 20;
const CLIENTS = 6;

async function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), '--data-dir', dataDir, 'serve', '--port', '0', '--json', '--rate', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url: JSON.parse(line).url as string };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function put(url: string, body: object): Promise<any> {
  const response = await fetch(`${url}/api/operation/put`, {
    method: 'PUT',
    headers: { Authorization: basic('op-a', PASSWORD_A), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  return response.json();
}

describe('durability under SIGKILL (real child process)', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    ensureBuilt();
    dataDir = tempDataDir();
    await withOperators(dataDir);
  }, 180_000);
  afterAll(async () => {
    if (child) await killed(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);

  it('loses no acknowledged session, stores each exactly once, and answers 202 for them after restart', async () => {
    const acknowledged = new Set<number>();
    const sent = new Set<number>();
    let nextBatch = 0;
    for (let round = 0; round < 2; round++) {
      const server = await startChild(dataDir);
      child = server.child;
      let stop = false;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!stop) {
          const first = nextBatch++ * BATCH;
          for (let i = first; i < first + BATCH; i++) sent.add(i);
          try {
            const answer = await put(server.url, operationsBody(USER_A, 'R320', first, BATCH));
            if (answer.statut === 'OK' && Object.keys(answer.details).length === 0) for (let i = first; i < first + BATCH; i++) acknowledged.add(i);
          } catch {
            return; // The server died under this request: not acknowledged.
          }
        }
      });
      // Kill while the clients are busy: once this round has acknowledged a few batches, then at a round-dependent moment.
      const ackedBefore = acknowledged.size;
      const deadline = Date.now() + 20_000;
      while (acknowledged.size < ackedBefore + 3 * BATCH && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50 + round * 120));
      await killed(child);
      stop = true;
      await Promise.all(clients);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(acknowledged.size).toBeLessThan(sent.size);

    // Stored exactly once: every acknowledged transaction in exactly one landing file.
    const occurrences = new Map<string, number>();
    for (const file of landingFiles(dataDir)) {
      for (const tx of Object.keys(file.body[USER_A].R320)) occurrences.set(tx, (occurrences.get(tx) ?? 0) + 1);
    }
    for (const i of acknowledged) expect(occurrences.get(`tx-${i}`)).toBe(1);
    expect([...occurrences.values()].every((n) => n === 1)).toBe(true);

    // After a restart, every acknowledged session is 202; the others are accepted once now (or 202 if their
    // landing file was written just before the kill).
    const server = await startChild(dataDir);
    child = server.child;
    // Temporary files of requests cut by the kill were never acknowledged; the restart removes them.
    expect(fs.readdirSync(path.join(dataDir, 'landing')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    for (let batch = 0; batch < nextBatch; batch++) {
      const first = batch * BATCH;
      const answer = await put(server.url, operationsBody(USER_A, 'R320', first, BATCH));
      const wasAcknowledged = acknowledged.has(first);
      if (wasAcknowledged) expect(answer.details['202']).toHaveLength(2 * BATCH);
      expect(answer.statut).toBe('OK');
    }
    const finalCounts = new Map<string, number>();
    for (const file of landingFiles(dataDir)) {
      for (const tx of Object.keys(file.body[USER_A].R320)) finalCounts.set(tx, (finalCounts.get(tx) ?? 0) + 1);
    }
    expect(finalCounts.size).toBe(sent.size);
    expect([...finalCounts.values()].every((n) => n === 1)).toBe(true);
    await killed(child);
    child = undefined;
  }, 180_000);
});
