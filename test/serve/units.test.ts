import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAnswer, buildDetails, type AnswerError } from '../../src/serve/answer.js';
import { parseBasicAuthorization } from '../../src/serve/auth.js';
import { KEY_INDEX_FILE, KeyIndex, sessionKeys } from '../../src/serve/key-index.js';
import { addOperator, operatorsFile, readOperators, removeOperator, verifyPassword } from '../../src/serve/operators.js';
import { RateLimiter } from '../../src/serve/rate-limit.js';
import { USER_A, USER_B, tempDataDir } from './helpers.js';

const dirs: string[] = [];
function dir(): string {
  const d = tempDataDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('answers (protocol.md)', () => {
  it('maps session codes to flat [start, stop, ...] lists and request codes to null', () => {
    const errors: AnswerError[] = [
      { code: 202, message: '', start: 10, stop: 20 },
      { code: 104, message: '', user_id: USER_B },
      { code: 202, message: '', start: 30, stop: 40 },
      { code: 212, message: '' },
    ];
    expect(buildDetails(errors)).toEqual({ '104': null, '202': [10, 20, 30, 40], '212': [] });
  });

  it('always has details; OK iff something is recorded or nothing is refused (property)', () => {
    const error = fc.record({ code: fc.constantFrom(101, 104, 201, 202, 203, 204), start: fc.nat(), stop: fc.nat() }).map((e) => ({ ...e, message: 'm' }));
    fc.assert(
      fc.property(fc.array(error, { maxLength: 20 }), fc.nat(5), fc.nat(5), (errors, accepted, duplicates) => {
        const answer = buildAnswer({ errors, accepted, duplicates });
        expect(answer).toHaveProperty('details');
        expect(answer.statut).toBe(accepted + duplicates > 0 || errors.length === 0 ? 'OK' : 'ECHEC');
        for (const code of [201, 202, 203, 204]) {
          const count = errors.filter((e) => e.code === code).length;
          expect(answer.details[String(code)]?.length ?? 0).toBe(2 * count);
        }
        expect(answer.erreurs?.length ?? 0).toBe(errors.length);
      }),
    );
  });
});

describe('HTTP Basic parsing', () => {
  it('splits at the first colon (passwords may contain colons) and rejects other schemes', () => {
    const header = `Basic ${Buffer.from('100@servtest.advenir.mobi:te:st123').toString('base64')}`;
    expect(parseBasicAuthorization(header)).toEqual({ login: '100@servtest.advenir.mobi', password: 'te:st123' });
    expect(parseBasicAuthorization('Bearer x')).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('lets a burst through, then refills at the rate and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now = 500; // +1 token at 2/s
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(new RateLimiter(0, 1, () => now).take('a')).toBe(0);
  });

  it('forgets refilled buckets once it tracks 10,000 keys', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 2, () => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`);
    expect(limiter.trackedKeys).toBe(10_000);
    now = 5000; // every bucket refilled
    limiter.take('late');
    expect(limiter.trackedKeys).toBe(1);
  });
});

describe('operator accounts', () => {
  it('stores a salted scrypt hash (never the password) in a 0600 file inside a 0700 folder', async () => {
    const dataDir = dir();
    const operator = await addOperator(dataDir, { login: 'op', password: 'correct horse', userIds: [USER_A.toUpperCase()] });
    expect(operator.user_ids).toEqual([USER_A]);
    const text = fs.readFileSync(operatorsFile(dataDir), 'utf8');
    expect(text).not.toContain('correct horse');
    expect(fs.statSync(operatorsFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(operatorsFile(dataDir))).mode & 0o777).toBe(0o700);
    const [stored] = await readOperators(dataDir);
    expect(await verifyPassword('correct horse', stored.password)).toBe(true);
    expect(await verifyPassword('correct horsE', stored.password)).toBe(false);
    const other = await addOperator(dataDir, { login: 'op2', password: 'correct horse', userIds: [] });
    expect(other.password.salt_b64).not.toBe(stored.password.salt_b64);
  });

  it('refuses duplicates, bad UserIDs, short passwords and unknown logins with stable codes', async () => {
    const dataDir = dir();
    await addOperator(dataDir, { login: 'op', password: 'long enough', userIds: [USER_A] });
    await expect(addOperator(dataDir, { login: 'op', password: 'long enough', userIds: [] })).rejects.toMatchObject({ code: 'OPERATOR_EXISTS' });
    await expect(addOperator(dataDir, { login: 'x', password: 'long enough', userIds: ['R320'] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(addOperator(dataDir, { login: 'x', password: 'short', userIds: [] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(addOperator(dataDir, { login: 'a:b', password: 'long enough', userIds: [] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(removeOperator(dataDir, 'nobody')).rejects.toMatchObject({ code: 'OPERATOR_NOT_FOUND' });
    await removeOperator(dataDir, 'op');
    expect(await readOperators(dataDir)).toEqual([]);
  });
});

describe('received-key index', () => {
  it('distinguishes sessions by key and by (UserID, StationID, start, stop)', () => {
    const base = { userId: USER_A, stationId: 'R320', transactionId: 't1', startS: 100, stopS: 200 };
    const [k, s] = sessionKeys(base);
    expect(sessionKeys({ ...base, transactionId: 't2' })[1]).toBe(s);
    expect(sessionKeys({ ...base, stopS: 201 })[0]).toBe(k);
    expect(sessionKeys({ ...base, stationId: 'R330' })).not.toContain(k);
    // Another beneficiary's StationID of the same name is another charge point: neither key matches.
    const other = sessionKeys({ ...base, userId: USER_B });
    expect(other).not.toContain(k);
    expect(other).not.toContain(s);
  });

  it('survives a reopen and drops a torn last line instead of gluing the next append to it', async () => {
    const serviceDir = dir();
    const index = await KeyIndex.open(serviceDir);
    await Promise.all([index.record('r1', ['k1', 'k2']), index.record('r2', ['k3'])]);
    await index.close();
    fs.appendFileSync(path.join(serviceDir, KEY_INDEX_FILE), 'r3\tk4\tk5'); // crash in the middle of a write
    const reopened = await KeyIndex.open(serviceDir);
    expect([reopened.has('k1'), reopened.has('k3'), reopened.has('k4')]).toEqual([true, true, false]);
    expect([reopened.covers('r2'), reopened.covers('r3')]).toEqual([true, false]);
    await reopened.record('r4', ['k6']);
    await reopened.close();
    expect(fs.readFileSync(path.join(serviceDir, KEY_INDEX_FILE), 'utf8')).toBe('r1\tk1\tk2\nr2\tk3\nr4\tk6\n');
  });

  it('forgets requests older than the retention window and compacts the file', async () => {
    const serviceDir = dir();
    const file = path.join(serviceDir, KEY_INDEX_FILE);
    fs.writeFileSync(file, '20240101T000000000Z-aaaaaaaa\told1\told2\n20261101T000000000Z-bbbbbbbb\tnew1\nlegacy\tkept\n');
    const index = await KeyIndex.open(serviceDir, { forgetBeforeMs: Date.UTC(2025, 0, 1) });
    expect([index.has('old1'), index.has('new1'), index.has('kept')]).toEqual([false, true, true]);
    expect(index.covers('20240101T000000000Z-aaaaaaaa')).toBe(false);
    await index.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('20261101T000000000Z-bbbbbbbb\tnew1\nlegacy\tkept\n');
  });
});

describe('JSON depth guard', () => {
  it('counts brackets outside strings only', async () => {
    const { jsonDepthExceeds, analyseRequest } = await import('../../src/serve/analyse.js');
    expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a": "[[[[[[\\"[[[["}', 2)).toBe(false);
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const op = '{"StartTransaction":1717200000,"StopTransaction":1717203600,"StartValue":0,"StopValue":7000}';
    const input = (sessions: string) => ({ text: `{"${USER_A}":{"R1":{${sessions}}}}`, userIds: [USER_A], nowS: 1_800_000_000, programmeStartS: 0 });
    // Beside a valid session the landing copy would be needed: 103. Alone, the session gets its code (212).
    expect(analyseRequest(input(`"T":${deep},"ok":${op}`)).requestError?.code).toBe(103);
    const alone = analyseRequest(input(`"T":${deep}`));
    expect(alone.requestError).toBeUndefined();
    expect(alone.errors.map((e) => e.code)).toEqual([212]);
  });
});
