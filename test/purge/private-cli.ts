import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

/**
 * The real `pipeline` command compiled into a private folder. Colleagues rebuild the shared dist/ while their
 * own tests run, which made a spawned `bin/pipeline.js` fail now and then with a half-written module. The
 * private build sits beside links to the repository's sql/, package.json and node_modules/, so that sqlDir()
 * and the package version resolve exactly as from dist/.
 */
export interface PrivateCli {
  root: string;
  run(args: string[], env?: Record<string, string>): { status: number; signal: NodeJS.Signals | null; stdout: string; stderr: string };
  spawn(args: string[], env?: Record<string, string>): ReturnType<typeof spawn>;
  remove(): void;
}

export function buildPrivateCli(): PrivateCli {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'purge-cli-build-'));
  for (const name of ['sql', 'package.json', 'node_modules']) fs.symlinkSync(path.join(repoRoot, name), path.join(root, name));
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(root, 'dist')], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
  } catch {
    // tsc exits non-zero on a colleague's half-written file but still emits every other module.
  }
  const entry = path.join(root, 'entry.mjs');
  fs.writeFileSync(entry, "import { main } from './dist/cli/main.js';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n");
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, TZ: 'UTC', ...extra });
  return {
    root,
    run(args, extra) {
      const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: env(extra), timeout: 120_000, maxBuffer: 64 << 20 });
      return { status: result.status ?? -1, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
    },
    spawn(args, extra) {
      return spawn(process.execPath, [entry, ...args], { stdio: 'ignore', env: env(extra) });
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
