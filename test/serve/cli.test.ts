import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readOperators } from '../../src/serve/operators.js';
import { startTestService, tempDataDir, USER_A, USER_B, ensureBuilt, repoRoot } from './helpers.js';

/** `pipeline operators ...` and `pipeline serve` refusals, through the real command (bin/pipeline.js). */

function pipeline(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'pipeline.js'), ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('operators and serve commands', () => {
  const dirs: string[] = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function dir(): string {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  }

  it('adds (password on stdin), lists without UserIDs by default, and removes accounts', async () => {
    const dataDir = dir();
    const add = pipeline(['--data-dir', dataDir, 'operators', 'add', '--login', 'cpo-1', '--user-id', USER_A, '--user-id', USER_B], 'a long password\n');
    expect(add.status).toBe(0);
    const [account] = await readOperators(dataDir);
    expect(account).toMatchObject({ login: 'cpo-1', user_ids: [USER_A, USER_B].sort(), enabled: true });
    const list = pipeline(['operators', 'list', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(list.stdout)).toEqual([{ login: 'cpo-1', enabled: true, created_at: account.created_at, user_id_count: 2 }]);
    expect(list.stdout).not.toContain(USER_A);
    const again = pipeline(['--data-dir', dataDir, 'operators', 'add', '--login', 'cpo-1', '--user-id', USER_A], 'a long password\n');
    expect(again.stderr).toContain('error[OPERATOR_EXISTS]');
    expect(again.status).toBe(2);
    expect(pipeline(['--data-dir', dataDir, 'operators', 'disable', 'cpo-1'])).toMatchObject({ status: 0 });
    expect((await readOperators(dataDir))[0].enabled).toBe(false);
    expect(pipeline(['--data-dir', dataDir, 'operators', 'enable', 'cpo-1'])).toMatchObject({ status: 0 });
    expect((await readOperators(dataDir))[0].enabled).toBe(true);
    expect(pipeline(['--data-dir', dataDir, 'operators', 'disable', 'nobody'])).toMatchObject({ status: 2, stderr: expect.stringContaining('error[OPERATOR_NOT_FOUND]') });
    expect(pipeline(['--data-dir', dataDir, 'operators', 'remove', 'cpo-1'])).toMatchObject({ status: 0 });
    expect(pipeline(['--data-dir', dataDir, 'operators', 'remove', 'cpo-1'])).toMatchObject({ status: 2, stderr: expect.stringContaining('error[OPERATOR_NOT_FOUND]') });
    expect(pipeline(['--data-dir', dataDir, 'operators', 'add', '--login', 'x'])).toMatchObject({ status: 2, stderr: expect.stringContaining('error[USAGE]') });
  }, 180_000);

  it('refuses to serve a purged data dir (STORE_PURGED) and a data dir another service holds (SERVE_FAILED)', async () => {
    const purged = dir();
    fs.writeFileSync(path.join(purged, 'PURGED.json'), '{}');
    const refused = pipeline(['--data-dir', purged, 'serve', '--port', '0']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('error[STORE_PURGED]');
    await expect(startTestService(purged)).rejects.toMatchObject({ code: 'STORE_PURGED' });

    const busy = dir();
    const first = await startTestService(busy);
    try {
      await expect(startTestService(busy)).rejects.toMatchObject({ code: 'SERVE_FAILED' });
    } finally {
      await first.close();
    }
    const second = await startTestService(busy);
    await second.close();
  }, 180_000);

  it('rejects --tls-cert without --tls-key as a usage error', () => {
    const result = pipeline(['--data-dir', dir(), 'serve', '--tls-cert', 'x.pem']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error[USAGE]');
  }, 180_000);
});
