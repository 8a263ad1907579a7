import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/serve/service.js';
import { PASSWORD_A, USER_A, basic, operationsBody, startTestService, tempDataDir, withOperators } from './helpers.js';

/** Optional TLS and client-certificate authentication (seed §4.1; issue 7). Certificates made here with openssl. */

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1, client certificates for CN=op-a and CN=stranger, and a rogue CA's op-a. */
function makeCertificates(dir: string): void {
  const days = ['-days', '2'];
  for (const ca of ['ca', 'rogue']) {
    openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-subj', `/CN=${ca}`, ...days]);
  }
  fs.writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  const issue = (name: string, cn: string, ca: string, extra: string[] = []) => {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, ...days, ...extra]);
  };
  issue('server', '127.0.0.1', 'ca', ['-extfile', 'san.cnf']);
  issue('client-op-a', 'op-a', 'ca');
  issue('client-stranger', 'stranger', 'ca');
  issue('client-rogue', 'op-a', 'rogue');
}

describe.skipIf(!hasOpenssl())('HTTPS and client certificates (needs openssl)', () => {
  let dataDir: string;
  let certDir: string;
  let service: RunningService;
  beforeAll(async () => {
    dataDir = tempDataDir();
    certDir = tempDataDir();
    makeCertificates(certDir);
    await withOperators(dataDir);
    const file = (name: string) => path.join(certDir, name);
    service = await startTestService(dataDir, { tls: { certFile: file('server.pem'), keyFile: file('server.key'), caFile: file('ca.pem') } });
  });
  afterAll(async () => {
    await service?.close();
    for (const dir of [dataDir, certDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  function request(body: object, options: { client?: string; auth?: string } = {}): Promise<{ status: number; json: any }> {
    const read = (name: string) => fs.readFileSync(path.join(certDir, name));
    return new Promise((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = https.request(
        `${service.url}/api/operation/put`,
        {
          method: 'POST',
          ca: read('ca.pem'),
          ...(options.client ? { cert: read(`${options.client}.pem`), key: read(`${options.client}.key`) } : {}),
          headers: { 'Content-Type': 'application/json', ...(options.auth ? { Authorization: options.auth } : {}) },
          agent: false,
        },
        (res) => {
          let data = '';
          res.on('data', (chunk) => (data += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  it('serves HTTPS with HTTP Basic', async () => {
    expect(service.url).toMatch(/^https:/);
    const answer = await request(operationsBody(USER_A, 'R320', 0, 1), { auth: basic('op-a', PASSWORD_A) });
    expect(answer).toEqual({ status: 200, json: { statut: 'OK', details: {} } });
  });

  it('authenticates by a client certificate whose CN is the login, signed by --tls-ca', async () => {
    const answer = await request(operationsBody(USER_A, 'R320', 1, 1), { client: 'client-op-a' });
    expect(answer).toEqual({ status: 200, json: { statut: 'OK', details: {} } });
  });

  it('refuses a certificate of an unknown CN or of another authority (401)', async () => {
    expect((await request(operationsBody(USER_A, 'R320', 2, 1), { client: 'client-stranger' })).status).toBe(401);
    expect((await request(operationsBody(USER_A, 'R320', 2, 1), { client: 'client-rogue' })).status).toBe(401);
  });
});
