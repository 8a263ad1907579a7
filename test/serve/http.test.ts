import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/serve/service.js';
import { createLogger } from '../../src/serve/logger.js';
import {
  PASSWORD_A, PASSWORD_B, USER_A, USER_B, basic, landingFiles, operation, operationsBody, send, startTestService, tempDataDir, withOperators,
} from './helpers.js';

const PUT_OP = '/api/operation/put';

describe('collection service over HTTP (issue 7, point 2)', () => {
  let dataDir: string;
  let service: RunningService;
  const logLines: string[] = [];

  beforeEach(async () => {
    dataDir = tempDataDir();
    await withOperators(dataDir);
    logLines.length = 0;
    service = await startTestService(dataDir, { logger: createLogger('info', (line) => logLines.push(line)) });
  });
  afterEach(async () => {
    await service?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 401 with WWW-Authenticate for missing, wrong and unknown credentials, and stores nothing', async () => {
    const body = operationsBody(USER_A, 'R320', 0, 1);
    for (const auth of [null, basic('op-a', 'wrong-password'), basic('nobody', PASSWORD_A), 'Bearer abc']) {
      const answer = await send(service, PUT_OP, body, { auth });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(answer.json).toMatchObject({ statut: 'ECHEC', details: {} });
    }
    expect(landingFiles(dataDir)).toEqual([]);
  });

  it('slows down password guessing: after 10 failures on one login from one address, 429 even for good credentials', async () => {
    await service.close();
    service = await startTestService(dataDir, { authFailures: { ratePerS: 0.001, burst: 10 } });
    const body = operationsBody(USER_A, 'R320', 0, 1);
    for (let i = 0; i < 10; i++) expect((await send(service, PUT_OP, body, { auth: basic('op-a', `guess-${i}`) })).status).toBe(401);
    const locked = await send(service, PUT_OP, body);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(locked.json).toMatchObject({ statut: 'ECHEC', details: {} });
    // Another operator behind the same address (NAT) is not locked out by someone guessing op-a's password.
    const other = await send(service, PUT_OP, operationsBody(USER_B, 'B750', 0, 1), { auth: basic('op-b', PASSWORD_B) });
    expect(other.status).toBe(200);
  });

  it('answers 104 for a UserID the operator does not hold and stores nothing of it', async () => {
    const mixed = { ...operationsBody(USER_A, 'R320', 0, 2), ...operationsBody(USER_B, 'B750', 10, 3) };
    const answer = await send(service, PUT_OP, mixed);
    expect(answer.status).toBe(200);
    expect(answer.json.statut).toBe('OK');
    expect(answer.json.details).toEqual({ '104': null });
    expect(answer.json.erreurs).toEqual([expect.objectContaining({ code: 104, user_id: USER_B })]);
    const files = landingFiles(dataDir);
    expect(files).toHaveLength(1);
    expect(Object.keys(files[0].body)).toEqual([USER_A]);
    expect(files[0].operator).toBe('op-a');

    // Only foreign UserIDs: ECHEC, no landing file.
    const foreign = await send(service, PUT_OP, operationsBody(USER_B, 'B750', 10, 3));
    expect(foreign.json).toMatchObject({ statut: 'ECHEC', details: { '104': null } });
    expect(landingFiles(dataDir)).toHaveLength(1);

    // The operator that holds USER_B may send the same sessions: they were never stored.
    const owner = await send(service, PUT_OP, operationsBody(USER_B, 'B750', 10, 3), { auth: basic('op-b', PASSWORD_B) });
    expect(owner.json).toEqual({ statut: 'OK', details: {} });
    expect(landingFiles(dataDir)).toHaveLength(2);
  });

  it('answers 400 with the 103 answer for an unparsable body, and 101 for a body of the wrong shape', async () => {
    const broken = await send(service, PUT_OP, '{"a6d0e6cf-7cac-477a-ae63-7e753c5bdda1": {"R320": ');
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ statut: 'ECHEC', details: { '103': null } });
    const array = await send(service, PUT_OP, '[1, 2, 3]');
    expect(array.status).toBe(200);
    expect(array.json).toMatchObject({ statut: 'ECHEC', details: { '101': null } });
    // A repeated StationID would lose the first one's sessions in JSON.parse: 101, not a silent drop.
    const op = JSON.stringify(operation(0));
    const repeated = await send(service, PUT_OP, `{"${USER_A}": {"R320": {"tx-a": ${op}}, "R320": {"tx-b": ${op}}}}`);
    expect(repeated.status).toBe(200);
    expect(repeated.json).toMatchObject({ statut: 'ECHEC', details: { '101': null } });
    expect(landingFiles(dataDir)).toEqual([]);
  });

  it('answers a partial OK with the refused sessions named by [start, stop], and keeps them in the landing file', async () => {
    const tooLong = { StartTransaction: 1_717_300_000, StopTransaction: 1_717_300_000 + 13 * 3600, StartValue: 0, StopValue: 5000 };
    const decreasing = [
      { timestamp: 1_717_400_000, value: 100 },
      { timestamp: 1_717_400_600, value: 90 },
      { timestamp: 1_717_401_200, value: 200 },
    ];
    const body = { [USER_A]: { R320: { ok1: operation(1), ok2: operation(2), long: tooLong }, R330: { curve: decreasing } } };
    const answer = await send(service, '/api/courbe/put', body);
    expect(answer.status).toBe(200);
    expect(answer.json.statut).toBe('OK');
    expect(answer.json.details).toEqual({
      '201': [1_717_400_000, 1_717_401_200],
      '204': [1_717_300_000, 1_717_300_000 + 13 * 3600],
    });
    expect(answer.json.erreurs.map((e: { code: number }) => e.code).sort()).toEqual([201, 204]);
    const [file] = landingFiles(dataDir);
    expect(file).toMatchObject({ format: 'advenir-landing', version: 1, path: '/api/courbe/put', operator: 'op-a' });
    expect(file.body).toEqual(body);
  });

  it('answers ECHEC when every session is refused, and lands the refusal so that the load records it', async () => {
    const tooLong = { StartTransaction: 1_717_300_000, StopTransaction: 1_717_300_000 + 13 * 3600, StartValue: 0, StopValue: 5000 };
    const body = { [USER_A]: { R320: { long: tooLong } } };
    const answer = await send(service, PUT_OP, body);
    expect(answer.json).toMatchObject({ statut: 'ECHEC', details: { '204': [1_717_300_000, 1_717_300_000 + 13 * 3600] } });
    expect(landingFiles(dataDir).map((file) => file.body)).toEqual([body]);
    // Only foreign UserIDs or only 202s: nothing to record, nothing landed.
    await send(service, PUT_OP, { [USER_B]: { R320: { long: tooLong } } });
    expect(landingFiles(dataDir)).toHaveLength(1);
  });

  it('answers 202 for a resent session, by key and by (StationID, start, stop) under a new TransactionID', async () => {
    const body = operationsBody(USER_A, 'R320', 0, 2);
    expect((await send(service, PUT_OP, body)).json).toEqual({ statut: 'OK', details: {} });
    const again = await send(service, PUT_OP, body, { method: 'PUT' });
    expect(again.json.statut).toBe('OK');
    const [a, b] = [operation(0), operation(1)];
    expect(again.json.details).toEqual({ '202': [a.StartTransaction, a.StopTransaction, b.StartTransaction, b.StopTransaction] });
    const renumbered = await send(service, PUT_OP, { [USER_A]: { R320: { 'platform-42': operation(0) } } });
    expect(renumbered.json.details).toEqual({ '202': [a.StartTransaction, a.StopTransaction] });
    expect(landingFiles(dataDir)).toHaveLength(1);
  });

  it('accepts a session exactly once when the same body arrives on 12 connections at once', async () => {
    const body = operationsBody(USER_A, 'R560', 100, 5);
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(service, PUT_OP, body)));
    expect(answers.every((a) => a.status === 200 && a.json.statut === 'OK')).toBe(true);
    const firstTimers = answers.filter((a) => !('202' in a.json.details));
    expect(firstTimers).toHaveLength(1);
    expect(answers.filter((a) => a.json.details['202']?.length === 10)).toHaveLength(11);
    expect(landingFiles(dataDir)).toHaveLength(1);
  });

  it('still answers 202 after a restart, and after losing its index file (rebuilt from landing files)', async () => {
    const body = operationsBody(USER_A, 'R320', 0, 3);
    await send(service, PUT_OP, body);
    await service.close();
    service = await startTestService(dataDir);
    expect((await send(service, PUT_OP, body)).json.details['202']).toHaveLength(6);
    await service.close();
    fs.rmSync(path.join(dataDir, 'service', 'received-keys.log'));
    service = await startTestService(dataDir);
    expect((await send(service, PUT_OP, body)).json.details['202']).toHaveLength(6);
    expect(landingFiles(dataDir)).toHaveLength(1);
  });

  it('stops collecting (503, nothing written) as soon as pipeline purge marks the data dir', async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    fs.writeFileSync(path.join(dataDir, 'PURGED.json'), JSON.stringify({ purged_at: '2027-01-01T00:00:00Z' }));
    // Monitoring sees it too.
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'purged' });
    const answer = await send(service, PUT_OP, operationsBody(USER_A, 'R320', 0, 1));
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ statut: 'ECHEC', details: {} });
    expect(landingFiles(dataDir)).toEqual([]);
  });

  it('applies account changes within a second, and keeps the last good accounts when the file turns invalid', async () => {
    expect((await send(service, PUT_OP, operationsBody(USER_A, 'R320', 0, 1))).status).toBe(200);
    const file = path.join(dataDir, 'service', 'operators.json');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, '{ not json');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(service, PUT_OP, operationsBody(USER_A, 'R320', 1, 1))).status).toBe(200);
    const withoutA = JSON.parse(good);
    withoutA.operators = withoutA.operators.filter((o: { login: string }) => o.login !== 'op-a');
    fs.writeFileSync(file, JSON.stringify(withoutA));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(service, PUT_OP, operationsBody(USER_A, 'R320', 2, 1))).status).toBe(401);
  });

  it('answers 500 (nothing acknowledged) when the landing file cannot be written, and accepts the resend later', async () => {
    const landing = path.join(dataDir, 'landing');
    fs.rmSync(landing, { recursive: true, force: true });
    fs.writeFileSync(landing, 'not a folder');
    const body = operationsBody(USER_A, 'R320', 0, 2);
    const failed = await send(service, PUT_OP, body);
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ statut: 'ECHEC', details: {} });
    expect(logLines.map((line) => JSON.parse(line)).find((entry) => entry.status === 500)).toMatchObject({ level: 'error' });
    fs.rmSync(landing);
    fs.mkdirSync(landing, { mode: 0o700 });
    expect((await send(service, PUT_OP, body)).json).toEqual({ statut: 'OK', details: {} });
    expect(landingFiles(dataDir)).toHaveLength(1);
  });

  it('serves /health without credentials, 404 for unknown paths, 405 for other methods', async () => {
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', operators: 2 });
    expect((await send(service, '/api/other/put', {})).status).toBe(404);
    const get = await fetch(`${service.url}${PUT_OP}`, { headers: { Authorization: basic('op-a', PASSWORD_A) } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, PUT');
  });

  it('logs JSON lines with request id, login, counts and latency, and no identifier', async () => {
    await send(service, PUT_OP, { ...operationsBody(USER_A, 'STATION-XYZ', 0, 2), [USER_B]: {} });
    await send(service, PUT_OP, operationsBody(USER_A, 'STATION-XYZ', 0, 2));
    const requests = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ operator: 'op-a', status: 200, received: 2, accepted: 2, refused_user_ids: 1, codes: { '104': 1 } });
    expect(requests[1]).toMatchObject({ accepted: 0, duplicates: 2, codes: { '202': 2 } });
    expect(typeof requests[0].latency_ms).toBe('number');
    expect(requests[0].request_id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/);
    const all = logLines.join('');
    for (const identifier of [USER_A, USER_B, 'STATION-XYZ', 'tx-0', 'tx-1', PASSWORD_A]) expect(all).not.toContain(identifier);
  });
});

describe('limits (issue 7: 413, 429)', () => {
  let dataDir: string;
  let service: RunningService;
  beforeEach(async () => {
    dataDir = tempDataDir();
    await withOperators(dataDir);
  });
  afterEach(async () => {
    await service?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 413 for a body over the limit and stores nothing; a body under it passes', async () => {
    service = await startTestService(dataDir, { maxBodyBytes: 2000 });
    const big = operationsBody(USER_A, 'R320', 0, 40);
    expect(JSON.stringify(big).length).toBeGreaterThan(2000);
    const answer = await send(service, PUT_OP, big);
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ statut: 'ECHEC', details: {} });
    expect(landingFiles(dataDir)).toEqual([]);
    const small = await send(service, PUT_OP, operationsBody(USER_A, 'R320', 0, 3));
    expect(small.json).toEqual({ statut: 'OK', details: {} });
  });

  it('answers 413 for a chunked body (no Content-Length) once it passes the limit while being read', async () => {
    service = await startTestService(dataDir, { maxBodyBytes: 2000 });
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${service.url}${PUT_OP}`, { method: 'PUT', headers: { Authorization: basic('op-a', PASSWORD_A) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
      const text = JSON.stringify(operationsBody(USER_A, 'R320', 0, 40));
      for (let i = 0; i < text.length; i += 500) request.write(text.slice(i, i + 500));
      request.end();
    });
    expect(status).toBe(413);
    expect(landingFiles(dataDir)).toEqual([]);
  });

  it('answers 429 with Retry-After when one operator exceeds its rate, without slowing the others', async () => {
    service = await startTestService(dataDir, { ratePerS: 0.5, burst: 2 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const answer = await send(service, PUT_OP, operationsBody(USER_A, 'R320', i, 1));
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const other = await send(service, PUT_OP, operationsBody(USER_B, 'B750', 0, 1), { auth: basic('op-b', PASSWORD_B) });
    expect(other.status).toBe(200);
    expect(landingFiles(dataDir)).toHaveLength(3);
  });
});
