import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sharedDir, tempDir, type CliResult } from '../helpers/cli.js';
import { findIdentifiers, reportTexts, storeIdentifiers } from '../report/leak-helpers.js';
import { openStore } from '../../src/store/database.js';
import { recordFigures } from './figures.js';
import { notOwnerOnly } from './hostile-helpers.js';
import { basicAuth, sendRaw, startServiceChild, stopServiceChild, type ServiceChild } from './service-child.js';

/**
 * Issue 9, point 5: the whole path — a sample month in the inbox, the real clients' captured bodies and canary
 * sessions with known identifiers sent to the web service, ingest, the monthly run, status — then every report
 * file (Parquet decoded), every log line at the default level and every stdout/stderr line is searched for every
 * identifier the store holds, and for the canaries: none may appear (privacy.md).
 */

const realClients = path.join(sharedDir, 'fixtures', 'real-clients');
const hasRealClients = fs.existsSync(realClients);
const MONTH = '2024-03';
const PASSWORD = 'leak-test-password';
const CANARY_TX = (i: number) => `CANARY-TX-${String(i).padStart(4, '0')}`;
const CANARY_HELD_STATION = 'CANARY-STATION-UNKNOWN';

/** A 6-digit TransactionID may occur by chance in a number of a report (purge tests make the same exception). */
function isDistinctive(id: string): boolean {
  return id.length >= 6 && !/^\d{1,9}$/.test(id);
}

describe.skipIf(!hasRealClients)('no identifier in reports, logs or output (needs ../shared/fixtures/real-clients)', () => {
  let dir: string;
  let service: ServiceChild | undefined;
  const outputs: { what: string; text: string }[] = [];
  const keep = (what: string, result: CliResult) => {
    outputs.push({ what, text: result.stdout + result.stderr });
    expect(result.status, `${what}: ${result.stderr}`).toBe(0);
    return result;
  };

  beforeAll(() => {
    dir = tempDir('robust-leaks-');
  });
  afterAll(async () => {
    await stopServiceChild(service, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds none of the known identifiers anywhere a person or a log collector would read', async () => {
    const args = ['--data-dir', path.join(dir, 'data'), '--reports-dir', path.join(dir, 'reports')];
    keep('sample', runCli([...args, 'sample', '--month', MONTH, '--sessions', '300']));
    // The canaries are sent for a beneficiary of the sample registry, on its charge points, within the month.
    const registry = fs.readFileSync(path.join(dir, 'data', 'inbox', `sample-${MONTH}`, 'registry.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const [userId] = registry[0];
    const stations = registry.filter((r) => r[0] === userId).map((r) => r[1]);
    const captures = fs.readdirSync(realClients).filter((f) => f.endsWith('.json'));
    const captureUsers = new Set(captures.flatMap((f) => Object.keys(JSON.parse(fs.readFileSync(path.join(realClients, f), 'utf8')))));
    keep('operators add', runCli([...args, 'operators', 'add', '--login', 'op-leak', '--user-id', userId, ...[...captureUsers].flatMap((u) => ['--user-id', u])], { input: `${PASSWORD}\n` }));

    service = await startServiceChild(path.join(dir, 'data'));
    const auth = { Authorization: basicAuth('op-leak', PASSWORD), 'Content-Type': 'application/json' };
    for (const capture of captures) {
      const method = capture.includes('_PUT_') ? 'PUT' : 'POST';
      const answer = await sendRaw(service.url, '/api/operation/put', fs.readFileSync(path.join(realClients, capture)), auth, method);
      expect(answer.status, capture).toBe(200);
    }
    const monthStartS = Date.UTC(2024, 2, 4, 1) / 1000;
    const canary: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 24; i++) {
      const start = monthStartS + i * 86_400;
      (canary[stations[i % stations.length]] ??= {})[CANARY_TX(i)] = { StartTransaction: start, StopTransaction: start + 3600, StartValue: 0, StopValue: 3000 };
    }
    canary[CANARY_HELD_STATION] = { [CANARY_TX(900)]: { StartTransaction: monthStartS, StopTransaction: monthStartS + 600, StartValue: 0, StopValue: 100 } };
    (canary[stations[0]] ??= {})[CANARY_TX(901)] = { StartTransaction: monthStartS, StopTransaction: monthStartS + 60, StartValue: 500, StopValue: 100 };
    const sent = await sendRaw(service.url, '/api/courbe/put', Buffer.from(JSON.stringify({ [userId]: canary })), auth);
    expect(sent.status).toBe(200);
    expect(sent.json.details).toHaveProperty('207');
    await stopServiceChild(service);
    outputs.push({ what: 'serve', text: service.stdout() + service.stderr() });
    service = undefined;

    keep('ingest', runCli([...args, 'ingest']));
    keep('run', runCli([...args, 'run', '--month', MONTH]));
    keep('run again', runCli([...args, 'run', '--month', MONTH]));
    keep('status', runCli([...args, 'status']));
    // privacy.md: individual data readable by their owner only, after the whole path (landing, service, store, tmp).
    expect(notOwnerOnly(path.join(dir, 'data'))).toEqual([]);

    const store = await openStore(path.join(dir, 'data'));
    let identifiers: string[];
    let texts: Map<string, string>;
    try {
      const [{ n }] = (await store.connection.runAndReadAll(`select count(*)::integer as n from sessions where transaction_id like 'CANARY-TX-%'`)).getRowObjectsJS();
      expect(n).toBe(24);
      identifiers = [...new Set([...(await storeIdentifiers(store)), CANARY_HELD_STATION, CANARY_TX(900), CANARY_TX(901), ...captureUsers])].filter(isDistinctive);
      texts = await reportTexts(store, path.join(dir, 'reports', MONTH));
    } finally {
      store.close();
    }
    expect(identifiers.length).toBeGreaterThan(50);
    expect(identifiers).toContain(CANARY_TX(0));
    expect(identifiers).toContain('a6d0e6cf-7cac-477a-ae63-7e753c5bdda1');

    texts.set('reports/index.html', fs.readFileSync(path.join(dir, 'reports', 'index.html'), 'utf8'));
    const logsDir = path.join(dir, 'data', 'logs');
    if (fs.existsSync(logsDir)) for (const f of fs.readdirSync(logsDir)) texts.set(`logs/${f}`, fs.readFileSync(path.join(logsDir, f), 'utf8'));
    for (const { what, text } of outputs) texts.set(`${what} (stdout+stderr)`, text);
    let lines = 0;
    for (const [where, text] of texts) {
      lines += text.split('\n').length;
      expect(findIdentifiers(text, identifiers), where).toEqual([]);
    }
    expect(texts.size).toBeGreaterThan(10);
    // The search does find them where they are meant to be (the service's log would, if it leaked).
    expect(findIdentifiers(`x ${CANARY_TX(3)} y`, identifiers)).toEqual([CANARY_TX(3)]);
    recordFigures('leaks', {
      check: 'Leaks: sample month + real-client captures + canaries through serve, ingest, run x2, status; reports, logs, stdout/stderr searched',
      point: 5,
      measures: { identifiers_searched: identifiers.length, places_searched: texts.size, lines_searched: lines, identifiers_found: 0 },
    });
  }, 300_000);
});
