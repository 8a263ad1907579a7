import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { openStore } from '../../src/store/database.js';
import { parseAdvenirJson, validateAdvenirPayload } from '../../src/ingest/advenir/validate.js';
import { allSessionCodes, DEFAULT_PROGRAMME_START_S } from '../../src/ingest/codes.js';
import '../../src/formats/format-codes.js';
import { recordFigures } from './figures.js';
import { hostileCorpus, stationsOf, type HostileInput } from './hostile-corpus.js';
import { payloadTextArb, registerStations, rows, runCliMeasured } from './hostile-helpers.js';

/**
 * Issue 9, point 1, through `pipeline ingest` (the real CLI): every hostile file gets a coded outcome recorded in
 * ingest_batches (a file error, or received = accepted + duplicates + rejected with a code per refusal), the
 * process exits 0 within bounded memory, and identifiers are stored exactly as sent.
 */

const MEMORY_BOUND_MB = 1536;
const GENERATED_FILES = 120;

describe('hostile files through pipeline ingest', () => {
  let dir: string;
  let dataDir: string;
  const corpus = hostileCorpus();
  const files = new Map<string, HostileInput>();
  const figures = { inputs: 0, peakMb: 0, elapsedS: 0 };
  const outcomes: Record<string, string> = {};

  beforeAll(async () => {
    dir = tempDir('robust-ingest-');
    dataDir = path.join(dir, 'data');
    await registerStations(dataDir, stationsOf(corpus));
    fs.mkdirSync(path.join(dir, 'in'));
    corpus.forEach((input, i) => {
      const file = path.join(dir, 'in', `${String(i).padStart(3, '0')}.json`);
      fs.writeFileSync(file, input.bytes());
      files.set(file, input);
    });
  });
  afterAll(() => {
    recordFigures('hostile-ingest', {
      check: 'Hostile files through `pipeline ingest` (hand-written corpus + fast-check payloads)',
      point: 1,
      inputs_tried: figures.inputs,
      measures: { peak_rss_mb: figures.peakMb, elapsed_s: Math.round(figures.elapsedS) },
      outcomes,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every corpus file its coded outcome, in bounded memory, and stores identifiers byte for byte', async () => {
    const run = await runCliMeasured(['--data-dir', dataDir, 'ingest', path.join(dir, 'in'), '--json', '--errors-limit', '0']);
    figures.inputs += corpus.length;
    figures.peakMb = Math.max(figures.peakMb, run.peakRssMb ?? 0);
    figures.elapsedS += run.elapsedS;
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(run.peakRssMb ?? 0).toBeLessThan(MEMORY_BOUND_MB);
    const summary = JSON.parse(run.stdout);
    expect(summary.files).toBe(corpus.length);

    const store = await openStore(dataDir);
    try {
      for (const [file, input] of files) {
        const [batch] = await rows(store, 'select * from ingest_batches where source_file = $file', { file });
        expect(batch, `${input.name}: no batch row`).toBeDefined();
        const expected = input.ingest;
        if ('fileError' in expected) {
          outcomes[input.name] = `file error ${batch.file_error_code}`;
          expect(Number(batch.file_error_code), input.name).toBe(expected.fileError);
          continue;
        }
        expect(batch.file_error_code, input.name).toBeNull();
        const byCode = await rows(store, 'select code, count(*)::integer as n from rejections where source_file = $file group by code order by code', { file });
        const rejected = Object.fromEntries(byCode.map((r) => [String(r.code), Number(r.n)]));
        outcomes[input.name] = [`${batch.accepted} accepted`, ...byCode.map((r) => `${r.n} × ${r.code}`)].join(', ');
        expect({ accepted: batch.accepted, rejected, duplicates: batch.duplicates }, input.name).toEqual({
          accepted: expected.accepted,
          rejected: expected.rejected ?? {},
          duplicates: expected.duplicates ?? 0,
        });
        const total = Number(batch.accepted) + Number(batch.duplicates) + Number(batch.rejected);
        expect(Number(batch.received), input.name).toBe(expected.received ?? total);
        expect(total, input.name).toBe(Number(batch.received));
      }
      // Byte for byte: every identifier the corpus meant to store is there, unchanged (no escaping, no truncation).
      const stored = await rows(store, 'select station_id, transaction_id from sessions');
      const storedKeys = new Set(stored.map((r) => JSON.stringify([r.station_id, r.transaction_id])));
      for (const input of corpus) {
        for (const pair of input.identifiers ?? []) expect(storedKeys.has(JSON.stringify(pair)), `${input.name}: ${JSON.stringify(pair)}`).toBe(true);
      }
      const accepted = corpus.reduce((n, input) => n + ('accepted' in input.ingest ? input.ingest.accepted : 0), 0);
      expect(stored.length).toBe(accepted);
      // The curve of 10,000 points is kept whole.
      const [curve] = await rows(store, `select point_count from sessions where transaction_id = 'T-10k'`);
      expect(curve.point_count).toBe(10_000);
    } finally {
      store.close();
    }

    // The same files again: nothing new, nothing lost.
    const again = await runCliMeasured(['--data-dir', dataDir, 'ingest', path.join(dir, 'in'), '--json', '--errors-limit', '0']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).sessions.accepted).toBe(0);
  }, 300_000);

  it('gives a coded outcome to hostile OCPI and IRVE records too (recognised by content)', async () => {
    const platformDir = path.join(dir, 'platform');
    fs.mkdirSync(platformDir);
    const cdr = (over: Record<string, unknown>) => ({
      id: 'CDR-1', start_date_time: '2024-03-04T10:00:00Z', end_date_time: '2024-03-04T11:00:00Z', total_energy: 7.5,
      cdr_location: { evse_uid: 'FR*ABC*E1', evse_id: 'FR*ABC*E1' }, charging_periods: [], ...over,
    });
    const irve = (over: Record<string, unknown>) => JSON.stringify({ id_pdc_itinerance: 'FRABCP1', start: 1_709_546_400_000, end: 1_709_550_000_000, energy: 7.5, ...over });
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const inputs: [string, string][] = [
      ['ocpi-values.json', JSON.stringify([
        cdr({ total_energy: 'NaN' }), cdr({ total_energy: 1e308 }), cdr({ total_energy: -5 }), cdr({ start_date_time: '2100-01-01T00:00:00Z', end_date_time: '2100-01-01T01:00:00Z' }),
        cdr({ start_date_time: 'not a date' }), cdr({ id: "'; drop table sessions; --", cdr_location: { evse_uid: '__proto__' } }), cdr({ cdr_location: null }),
        cdr({ charging_periods: Array.from({ length: 10_000 }, (_, i) => ({ start_date_time: '2024-03-04T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: i }] })) }),
        null, 42, 'text', [], {},
      ])],
      ['ocpi-envelope.json', JSON.stringify({ data: [cdr({ total_energy: '7.5' })], status_code: 1000 })],
      ['ocpi-deep.json', `[{"total_energy": 1, "cdr_location": ${deep}}]`],
      ['ocpi-truncated.json', JSON.stringify([cdr({})]).slice(0, 60)],
      ['irve-values.ndjson', [
        irve({ start: 1_709_546_400, end: 1_709_550_000 }), irve({ energy: -3 }), irve({ energy: 'NaN' }), irve({ energy: 1e308 }),
        irve({ start: 4_102_444_800_000, end: 4_102_448_400_000 }), irve({ id_pdc_itinerance: 'x'.repeat(1024) }), irve({ id_pdc_itinerance: '__proto__' }),
        irve({ id_pdc_itinerance: "FR'; delete from sessions; --" }), 'null', '[]', '{"id_pdc_itinerance": null, "start": 1}', irve({ start: '2024-03-04' }),
      ].join('\n')],
      ['irve-bad-lines.ndjson', [irve({}), '{"id_pdc_itinerance": "FRA', irve({ energy: 2 })].join('\n')],
    ];
    for (const [name, text] of inputs) fs.writeFileSync(path.join(platformDir, name), text);
    const platformData = path.join(dir, 'platform-data');
    const run = await runCliMeasured(['--data-dir', platformData, 'ingest', platformDir, '--json', '--errors-limit', '0']);
    figures.inputs += inputs.length;
    figures.peakMb = Math.max(figures.peakMb, run.peakRssMb ?? 0);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    const known = new Set(allSessionCodes().map((c) => c.code));
    const store = await openStore(platformData);
    try {
      const batches = await rows(store, 'select * from ingest_batches');
      expect(batches.map((b) => path.basename(String(b.source_file))).sort()).toEqual(inputs.map(([name]) => name).sort());
      for (const b of batches) {
        if (b.file_error_code !== null) expect([101, 103]).toContain(Number(b.file_error_code));
        else expect(Number(b.accepted) + Number(b.duplicates) + Number(b.rejected), String(b.source_file)).toBe(Number(b.received));
      }
      const codes = await rows(store, 'select distinct code from rejections');
      for (const { code } of codes) expect(known.has(Number(code)), String(code)).toBe(true);
      expect(codes.length).toBeGreaterThan(2);
    } finally {
      store.close();
    }
  }, 300_000);

  it('never crashes on generated payloads (fast-check), and stores only identifiers that were sent, as sent', async () => {
    const genDir = path.join(dir, 'generated');
    fs.mkdirSync(genDir);
    // Identical generated files would be one file loaded once (same sha256): keep distinct contents only.
    const samples = [...new Map(fc.sample(payloadTextArb, { numRuns: GENERATED_FILES, seed: 9 }).map((b) => [b.toString('base64'), b])).values()];
    const nowS = Math.floor(Date.now() / 1000);
    const sent = new Set<string>();
    const stations = new Set<string>();
    samples.forEach((bytes, i) => {
      fs.writeFileSync(path.join(genDir, `g${String(i).padStart(3, '0')}.json`), bytes);
      // What the validation core accepts from this file: these are the identifiers that may reach the store.
      const parsed = parseAdvenirJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
      if (!parsed.ok) return;
      for (const s of validateAdvenirPayload(parsed.value, { nowS, programmeStartS: DEFAULT_PROGRAMME_START_S }).sessions) {
        sent.add(JSON.stringify([s.userId, s.stationId, s.transactionId]));
        stations.add(s.stationId);
      }
    });
    const genData = path.join(dir, 'gen-data');
    await registerStations(genData, [...stations]);
    const run = await runCliMeasured(['--data-dir', genData, 'ingest', genDir, '--json', '--errors-limit', '0']);
    figures.inputs += samples.length;
    figures.peakMb = Math.max(figures.peakMb, run.peakRssMb ?? 0);
    figures.elapsedS += run.elapsedS;
    expect(run.status, run.stderr).toBe(0);
    const store = await openStore(genData);
    try {
      const batches = await rows(store, 'select * from ingest_batches');
      expect(batches.length).toBe(samples.length);
      for (const b of batches) {
        if (b.file_error_code !== null) expect([101, 103]).toContain(Number(b.file_error_code));
        else expect(Number(b.accepted) + Number(b.duplicates) + Number(b.rejected)).toBe(Number(b.received));
      }
      const stored = await rows(store, 'select user_id, station_id, transaction_id from sessions');
      for (const r of stored) expect(sent.has(JSON.stringify([r.user_id, r.station_id, r.transaction_id])), JSON.stringify(r)).toBe(true);
      const [{ n }] = await rows(store, 'select count(*)::integer as n from (select distinct user_id, station_id, transaction_id from sessions)');
      expect(n).toBe(stored.length);
      expect(stored.length).toBe(batches.reduce((sum, b) => sum + Number(b.accepted), 0));
      expect(stored.length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 300_000);
});
