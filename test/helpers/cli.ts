import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
/** Tests that read ../shared (third-party data, never copied into the repository) skip when a fresh clone lacks it. */
export const hasShared = fs.existsSync(path.join(sharedDir, 'data')) && fs.existsSync(path.join(sharedDir, 'fixtures'));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `pipeline` command (dist/, built by `pretest`) in a child process. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, TZ: 'UTC', ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder, removed by the caller (or left in the OS temp dir). */
export function tempDir(prefix = 'pipeline-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
