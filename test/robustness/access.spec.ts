import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { readOperators } from '../../src/serve/operators.js';
import { openStore } from '../../src/store/database.js';
import { recordFigures } from './figures.js';
import { notOwnerOnly, rows, walk } from './hostile-helpers.js';
import { basicAuth, sendRaw, startServiceChild, stopServiceChild, type ServiceChild } from './service-child.js';

/**
 * Issue 9, point 4: no credentials, wrong credentials, another operator's UserID, a disabled account, a request
 * replayed with the credentials of a removed operator: all refused, nothing stored. Passwords appear neither in
 * the logs (even at debug level) nor in any byte of the data dir. What the pipeline creates is owner-only.
 */

const USER_A = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const USER_B = '9df3ba5c-e20a-4867-9c59-ce9ee4517d3e';
const USER_C = '604ac1be-b1f4-4d90-aa23-629a694cd8b5';
const USER_D = '0f9c2d4e-5b6a-4c3d-8e7f-a1b2c3d4e5f6';
const ACCOUNTS = [
  { login: 'op-a', password: 'pass-of-op-a-7Q', userId: USER_A },
  { login: 'op-b', password: 'pass-of-op-b-3Z', userId: USER_B },
  { login: 'op-disabled', password: 'pass-of-op-disabled-9K', userId: USER_C },
  { login: 'op-removed', password: 'pass-of-op-removed-5W', userId: USER_D },
];
const pw = (login: string) => ACCOUNTS.find((a) => a.login === login)!.password;
const PUT = '/api/operation/put';

function body(userId: string, tx: string, day: number): Buffer {
  const start = 1_717_200_000 + day * 86_400;
  return Buffer.from(JSON.stringify({ [userId]: { 'R-ACCESS': { [tx]: { StartTransaction: start, StopTransaction: start + 3600, StartValue: 0, StopValue: 7000 } } } }));
}

function landingCount(dataDir: string): number {
  const dir = path.join(dataDir, 'landing');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')).length : 0;
}

describe('access: nobody let in where they do not belong', () => {
  let dir: string;
  let dataDir: string;
  let service: ServiceChild | undefined;
  const refusals: { what: string; status: number }[] = [];
  let adminOutput = '';

  beforeAll(async () => {
    dir = tempDir('robust-access-');
    dataDir = path.join(dir, 'data');
    for (const account of ACCOUNTS) {
      const added = runCli(['--data-dir', dataDir, 'operators', 'add', '--login', account.login, '--user-id', account.userId], { input: `${account.password}\n` });
      expect(added.status, added.stderr).toBe(0);
      adminOutput += added.stdout + added.stderr;
    }
    // A disabled account, through the real command.
    const disabled = runCli(['--data-dir', dataDir, 'operators', 'disable', 'op-disabled']);
    expect(disabled.status, disabled.stderr).toBe(0);
    expect((await readOperators(dataDir)).find((o) => o.login === 'op-disabled')?.enabled).toBe(false);
    service = await startServiceChild(dataDir, ['--log-level', 'debug']);
  });
  afterAll(async () => {
    await stopServiceChild(service, 'SIGKILL');
    recordFigures('access', {
      check: 'Access: missing/wrong/malformed credentials, foreign UserID, disabled account, removed operator replay',
      point: 4,
      inputs_tried: refusals.length,
      measures: { refused: refusals.filter((r) => r.status === 401 || r.status === 429 || r.status === 200).length },
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function refused(what: string, payload: Buffer, headers: Record<string, string>, statuses: number[] = [401, 429]): Promise<void> {
    const before = landingCount(dataDir);
    const answer = await sendRaw(service!.url, PUT, payload, headers);
    refusals.push({ what, status: answer.status });
    expect(statuses, `${what}: ${answer.status} ${answer.text}`).toContain(answer.status);
    expect(answer.json?.statut, what).toBe('ECHEC');
    if (answer.status === 401) expect(answer.json.details).toEqual({});
    expect(landingCount(dataDir), what).toBe(before);
  }

  it('refuses missing, wrong, malformed and unknown credentials, and stores nothing', async () => {
    const payload = body(USER_A, 'tx-cred', 1);
    await refused('no credentials', payload, {});
    await refused('wrong password', payload, { Authorization: basicAuth('op-a', 'not-the-password') });
    await refused("another operator's password", payload, { Authorization: basicAuth('op-a', pw('op-b')) });
    await refused('unknown login', payload, { Authorization: basicAuth('op-z', pw('op-a')) });
    await refused('empty login and password', payload, { Authorization: basicAuth('', '') });
    await refused('not base64', payload, { Authorization: 'Basic !!!***' });
    await refused('no colon', payload, { Authorization: `Basic ${Buffer.from('op-a').toString('base64')}` });
    await refused('bearer scheme', payload, { Authorization: `Bearer ${pw('op-a')}` });
    await refused('4 KB login', payload, { Authorization: basicAuth('x'.repeat(4096), pw('op-a')) });
    await refused('SQL in the login', payload, { Authorization: basicAuth("op-a' or '1'='1", "' or '1'='1") });
    await refused('password with a trailing newline', payload, { Authorization: basicAuth('op-a', `${pw('op-a')}\n`) });
    await refused('login in another case', payload, { Authorization: basicAuth('OP-A', pw('op-a')) });
  });

  /**
   * Failed authentications slow the client address down (429 for everyone from it, burst 10, then one per 2 s):
   * wait until a harmless request (an empty payload, nothing stored) passes again.
   */
  async function waitForAuthLockout(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const probe = await sendRaw(service!.url, PUT, Buffer.from('{}'), { Authorization: basicAuth('op-a', pw('op-a')) });
      if (probe.status !== 429) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it("refuses another operator's UserID (104) and a disabled account, and stores nothing of them", async () => {
    await waitForAuthLockout();
    await refused("op-a sending op-b's UserID", body(USER_B, 'tx-foreign', 2), { Authorization: basicAuth('op-a', pw('op-a')) }, [200]);
    await refused('disabled account, right password', body(USER_C, 'tx-disabled', 3), { Authorization: basicAuth('op-disabled', pw('op-disabled')) });
    // A mixed request: op-a's own UserID is taken, op-b's is not.
    await waitForAuthLockout();
    const mixed = Buffer.from(JSON.stringify({ ...JSON.parse(body(USER_A, 'tx-own', 4).toString()), ...JSON.parse(body(USER_B, 'tx-not-own', 5).toString()) }));
    const answer = await sendRaw(service!.url, PUT, mixed, { Authorization: basicAuth('op-a', pw('op-a')) });
    expect(answer.status).toBe(200);
    expect(answer.json.details).toHaveProperty('104');
    const landed = fs.readdirSync(path.join(dataDir, 'landing')).filter((f) => f.endsWith('.json'));
    const text = landed.map((f) => fs.readFileSync(path.join(dataDir, 'landing', f), 'utf8')).join('');
    expect(text).toContain('tx-own');
    expect(text).not.toContain(USER_B);
  });

  it('refuses a request replayed with the credentials of a removed operator', async () => {
    await waitForAuthLockout();
    const payload = body(USER_D, 'tx-before-removal', 6);
    const headers = { Authorization: basicAuth('op-removed', pw('op-removed')) };
    const first = await sendRaw(service!.url, PUT, payload, headers);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ statut: 'OK', details: {} });
    const removed = runCli(['--data-dir', dataDir, 'operators', 'remove', 'op-removed']);
    expect(removed.status, removed.stderr).toBe(0);
    // The service reloads operators.json within a second of a change (docs/api.md).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await refused('replay of an accepted request after removal', payload, headers);
    await refused('new request after removal', body(USER_D, 'tx-after-removal', 7), headers);
  });

  it('keeps passwords out of logs, stdout and every byte of the data dir; owner-only files and folders', async () => {
    await stopServiceChild(service);
    const logs = service!.stdout() + service!.stderr() + adminOutput;
    service = undefined;
    const ingest = runCli(['--data-dir', dataDir, 'ingest', '--json']);
    expect(ingest.status, ingest.stderr).toBe(0);
    const store = await openStore(dataDir);
    try {
      const stored = await rows(store, 'select user_id, transaction_id from sessions union all select user_id, transaction_id from rejections order by 2');
      // Only the requests that were let in: op-a's own session and op-removed's before its removal.
      expect(stored.map((r) => r.transaction_id)).toEqual(['tx-before-removal', 'tx-own']);
    } finally {
      store.close();
    }

    const secrets = ACCOUNTS.flatMap((a) => [a.password, Buffer.from(a.password).toString('base64'), Buffer.from(`${a.login}:${a.password}`).toString('base64')]);
    for (const secret of secrets) expect(logs.includes(secret), 'password in logs').toBe(false);
    const files = walk(dataDir);
    for (const { file, isDir } of files) {
      if (isDir) continue;
      const bytes = fs.readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `password in ${path.relative(dataDir, file)}`).toBe(false);
    }

    // Owner-only: the data dir and everything the pipeline created in it (inbox/ is where operators drop files).
    expect(files.map((f) => path.relative(dataDir, f.file))).toEqual(expect.arrayContaining(['pipeline.duckdb', 'landing', 'service', 'service/operators.json']));
    expect(notOwnerOnly(dataDir)).toEqual([]);
  });
});
