import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSample } from '../../src/sample/write-sample.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { openStore } from '../../src/store/database.js';
import { quietOutput } from '../helpers/store.js';
import { parseMonth } from '../../src/util/month.js';

function generate(seed: number, sessions = 1200) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-'));
  const summary = writeSample({ month: parseMonth('2024-05'), sessions, seed, outDir });
  return { outDir, summary };
}

function readFolder(folder: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(folder).sort().map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')]));
}

type Body = { timestamp: number; value: number }[] | { StartTransaction: number; StopTransaction: number; StartValue: number; StopValue: number };

/** Every regular (non-anomaly) transaction of the sample, with its charge point's registered power. */
function regularTransactions(folder: string) {
  const power = new Map<string, number>();
  const [, ...rows] = fs.readFileSync(path.join(folder, 'registry.csv'), 'utf8').trim().split('\n');
  for (const row of rows) {
    const cells = row.split(',');
    power.set(cells[1], Number(cells[4]));
  }
  const out: { stationId: string; nominalKw: number; body: Body }[] = [];
  for (const file of fs.readdirSync(folder).filter((f) => f.startsWith('advenir-op'))) {
    const payload = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    for (const stations of Object.values<Record<string, unknown>>(payload)) {
      for (const [stationId, txs] of Object.entries(stations)) {
        const byTx = Array.isArray(txs) ? Object.assign({}, ...txs) : txs;
        for (const body of Object.values<Body>(byTx)) out.push({ stationId, nominalKw: power.get(stationId)!, body });
      }
    }
  }
  return out;
}

describe('pipeline sample', () => {
  it('is deterministic: the same seed writes byte-identical files, another seed does not', () => {
    const a = generate(7);
    const b = generate(7);
    const c = generate(8);
    expect(readFolder(a.summary.folder)).toEqual(readFolder(b.summary.folder));
    expect(readFolder(a.summary.folder)['registry.csv']).not.toEqual(readFolder(c.summary.folder)['registry.csv']);
  });

  it('writes regular sessions that obey every protocol rule, so only the anomalies file is rejected', () => {
    const { summary } = generate(3);
    const transactions = regularTransactions(summary.folder);
    expect(transactions.length).toBe(summary.transactions);
    for (const { nominalKw, body } of transactions) {
      expect(nominalKw).toBeGreaterThan(0);
      if (Array.isArray(body)) {
        expect(body.length).toBeGreaterThanOrEqual(3);
        for (let i = 1; i < body.length; i++) {
          const dt = body[i].timestamp - body[i - 1].timestamp;
          expect(dt).toBeGreaterThan(0);
          expect(dt).toBeLessThanOrEqual(12 * 3600);
          expect(body[i].value).toBeGreaterThanOrEqual(body[i - 1].value);
          // Wh over seconds → kW; rounding to whole Wh allows a little slack.
          expect(((body[i].value - body[i - 1].value) / dt) * 3.6).toBeLessThanOrEqual(nominalKw * 1.02);
        }
      } else {
        const dt = body.StopTransaction - body.StartTransaction;
        expect(dt).toBeGreaterThan(0);
        expect(dt).toBeLessThanOrEqual(12 * 3600);
        expect(body.StopValue).toBeGreaterThan(body.StartValue);
        expect(((body.StopValue - body.StartValue) / dt) * 3.6).toBeLessThanOrEqual(nominalKw * 1.02);
      }
    }
  });

  it('gives each anomaly the code its rule names, once loaded with the registry', async () => {
    const { outDir, summary } = generate(1);
    const store = await openStore(path.join(outDir, 'store'));
    try {
      await ingestPaths(store, [summary.folder], { format: 'auto', retry: false, nowS: parseMonth('2024-06').endS, errorsLimit: 100, output: quietOutput() });
      const reader = await store.connection.runAndReadAll(`select transaction_id, code from rejections where transaction_id like 'X%' order by 1`);
      expect(Object.fromEntries(reader.getRowsJS())).toEqual({
        'X104-1': 104, 'X201-1': 201, 'X201-2': 201, 'X203-1': 203, 'XFUT-1': 210, 'XLONG-1': 204, 'XNEG-1': 207,
        'XOLD-1': 211, 'XPOW-1': 208, 'XPTS-1': 205, 'XSTOP-1': 206, 'XUNK-1': 209,
      });
    } finally {
      store.close();
    }
  });

  it('covers all 13 metropolitan regions and the whole month, with a carbon slot every half hour', () => {
    const { summary } = generate(5);
    const registry = fs.readFileSync(path.join(summary.folder, 'registry.csv'), 'utf8');
    const communes = new Set(registry.trim().split('\n').slice(1).map((row) => row.split(',')[3]));
    expect(communes.size).toBeGreaterThan(13);
    const carbon = fs.readFileSync(path.join(summary.folder, 'carbon-2024-05.csv'), 'utf8').trim().split('\n').slice(1);
    const month = parseMonth('2024-05');
    const times = carbon.map((row) => Date.parse(row.split(',')[0]) / 1000);
    expect(times[0]).toBeLessThanOrEqual(month.startS);
    expect(times[times.length - 1]).toBeGreaterThanOrEqual(month.endS - 1800);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(1800);
  });
});
