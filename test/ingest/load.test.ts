import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../src/config/paths.js';
import { importRegistryFile } from '../../src/formats/registry/import.js';
import { ingestPaths, type IngestOptions } from '../../src/ingest/ingest-paths.js';
import type { Store } from '../../src/store/database.js';
import { count, quietOutput, registerStations, tempDir, tempStore, USER, writeJson } from './helpers.js';

const T0 = 1700000000;
const NOW_S = 1800000000;
const options = (extra: Partial<IngestOptions> = {}): IngestOptions => ({
  format: 'auto',
  retry: false,
  nowS: NOW_S,
  errorsLimit: 100,
  output: quietOutput(),
  ...extra,
});
const curve = (start: number, values: number[]) => values.map((value, i) => ({ timestamp: start + 600 * i, value }));
const op = (start: number, stop: number, startValue: number, stopValue: number) => ({
  StartTransaction: start,
  StopTransaction: stop,
  StartValue: startValue,
  StopValue: stopValue,
});

let store: Store | undefined;
afterEach(() => store?.close());

describe('loading Advenir files', () => {
  it('accepts a curve and an operation, with integer points in (session_id, ts) order', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1' }, { stationId: 'S2' }]);
    const dir = tempDir('files');
    const file = writeJson(dir, 'a.json', {
      [USER]: { S1: { T1: curve(T0, [100, 1100, 2100.5, 2100.5]) }, S2: { T2: op(T0, T0 + 3600, 0, 7000) } },
    });
    const summary = await ingestPaths(store, [file], options());
    expect(summary.sessions).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: 0 });
    const reader = await store.connection.runAndReadAll(
      'select session_id, kind, start_s, stop_s, energy_wh, point_count, route from sessions order by session_id',
    );
    expect(reader.getRowObjectsJS().map((r) => ({ ...r, session_id: Number(r.session_id), start_s: Number(r.start_s), stop_s: Number(r.stop_s), energy_wh: Number(r.energy_wh) }))).toEqual([
      { session_id: 1, kind: 'curve', start_s: T0, stop_s: T0 + 1800, energy_wh: 2001, point_count: 4, route: 'advenir-file' },
      { session_id: 2, kind: 'operation', start_s: T0, stop_s: T0 + 3600, energy_wh: 7000, point_count: 2, route: 'advenir-file' },
    ]);
    const points = await store.connection.runAndReadAll('select ts_s, value_wh from curve_points order by rowid');
    expect(points.getRowsJS().map(([t, v]) => [Number(t), Number(v)])).toEqual([
      [T0, 100],
      [T0 + 600, 1100],
      [T0 + 1200, 2101],
      [T0 + 1800, 2101],
    ]);
  });

  it('is idempotent: the same file again writes nothing and reports duplicates; renumbered sessions are 202', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1' }]);
    const dir = tempDir('files');
    const payload = { [USER]: { S1: { T1: curve(T0, [0, 10, 20]), T2: op(T0 + 7200, T0 + 9000, 0, 500) } } };
    const file = writeJson(dir, 'a.json', payload);
    await ingestPaths(store, [file], options());
    const before = await count(store, 'select count(*) from ingest_batches');
    const again = await ingestPaths(store, [file], options());
    expect(again.sessions).toEqual({ received: 2, accepted: 0, duplicates: 2, rejected: 0 });
    expect(again.already_loaded).toBe(1);
    expect(await count(store, 'select count(*) from ingest_batches')).toBe(before);
    expect(await count(store, 'select count(*) from sessions')).toBe(2);
    // Same key in another file, and the same (station, start, stop) under another TransactionID.
    const renumbered = writeJson(dir, 'b.json', { [USER]: { S1: { T1: op(T0 + 20000, T0 + 21000, 0, 5), T9: op(T0 + 7200, T0 + 9000, 0, 500) } } });
    const third = await ingestPaths(store, [renumbered], options());
    expect(third.sessions).toEqual({ received: 2, accepted: 0, duplicates: 2, rejected: 0 });
    expect(third.rejected_by_code).toEqual({});
    expect(third.errors.map((e) => e.code)).toEqual([202, 202]);
    expect(await count(store, 'select count(*) from rejections')).toBe(0);
  });

  it('holds sessions of unknown charge points (209) and accepts them with --retry once registered', async () => {
    store = await tempStore();
    const dir = tempDir('files');
    const file = writeJson(dir, 'a.json', { [USER]: { NEW: { T1: curve(T0, [0, 10, 20]), T2: op(T0 + 7200, T0 + 9000, 0, 500) } } });
    const first = await ingestPaths(store, [file], options());
    expect(first.rejected_by_code).toEqual({ '209': 2 });
    expect(await count(store, 'select count(*) from rejections where held and resolved_batch_id is null')).toBe(2);
    const stillUnknown = await ingestPaths(store, [], options({ retry: true }));
    expect(stillUnknown.rejected_by_code).toEqual({ '209': 2 });
    expect(await count(store, 'select count(*) from rejections')).toBe(2);
    // A retry that resolves nothing logs no batch: every `pipeline run` retries, and quality.csv sums the batches.
    expect(await count(store, "select count(*) from ingest_batches where format = 'held-sessions'")).toBe(0);
    await registerStations(store, [{ stationId: 'NEW' }]);
    const retried = await ingestPaths(store, [], options({ retry: true }));
    expect(retried.sessions).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: 0 });
    // The retry's batch, and the sessions it accepted, keep the route they arrived by.
    expect(await count(store, "select count(*) from ingest_batches where format = 'held-sessions' and route = 'advenir-file' and received = 2 and accepted = 2 and rejected = 0")).toBe(1);
    expect(await count(store, "select count(*) from sessions where route = 'advenir-file'")).toBe(2);
    expect(await count(store, 'select count(*) from sessions')).toBe(2);
    expect(await count(store, 'select count(*) from curve_points')).toBe(3);
    expect(await count(store, 'select count(*) from rejections where resolved_batch_id is null')).toBe(0);
    const nothingLeft = await ingestPaths(store, [], options({ retry: true }));
    expect(nothingLeft.sessions.received).toBe(0);
  });

  it("never attributes a session to another beneficiary's registered StationID: it is held (209)", async () => {
    store = await tempStore();
    const other = 'b6d0e6cf-7cac-477a-ae63-7e753c5bdda2';
    await registerStations(store, [{ stationId: 'PDC1', userId: other }, { stationId: 'PDC2' }]);
    const dir = tempDir('files');
    const file = writeJson(dir, 'a.json', { [USER]: { PDC1: { T1: op(T0, T0 + 3600, 0, 7000) }, PDC2: { T2: op(T0, T0 + 3600, 0, 7000) } } });
    const summary = await ingestPaths(store, [file], options());
    expect(summary.sessions).toMatchObject({ accepted: 1, rejected: 1 });
    expect(summary.rejected_by_code).toEqual({ '209': 1 });
    expect(await count(store, `select count(*) from sessions where station_id = 'PDC1'`)).toBe(0);
  });

  it('refuses a mean power above the charge point nominal power (208) and keeps the raw JSON', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1', powerKw: 7.4 }]);
    const dir = tempDir('files');
    // 50 kWh in one hour on a 7.4 kW point: a kWh/Wh confusion or a wrong registry entry.
    const file = writeJson(dir, 'a.json', { [USER]: { S1: { T1: op(T0, T0 + 3600, 0, 50000), T2: op(T0 + 7200, T0 + 10800, 0, 7000) } } });
    const summary = await ingestPaths(store, [file], options());
    expect(summary.sessions).toEqual({ received: 2, accepted: 1, duplicates: 0, rejected: 1 });
    expect(summary.rejected_by_code).toEqual({ '208': 1 });
    const reader = await store.connection.runAndReadAll('select code, raw_json, source_file, route, held from rejections');
    expect(reader.getRowObjectsJS()).toEqual([
      { code: 208, raw_json: JSON.stringify(op(T0, T0 + 3600, 0, 50000)), source_file: file, route: 'advenir-file', held: false },
    ]);
  });

  it('lets a copy compete for acceptance only when it is not refused: a 208 does not make its twin a 202', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'FR*ABC*E1', powerKw: 7.4 }]);
    const dir = tempDir('files');
    // One charge point spelt two ways, the same span: the first copy is implausible (50 kW), the second is not.
    const file = writeJson(dir, 'a.json', { [USER]: { 'FR*ABC*E1': { T1: op(T0, T0 + 3600, 0, 50000) }, FRABCE1: { T2: op(T0, T0 + 3600, 0, 7000) } } });
    const summary = await ingestPaths(store, [file], options());
    expect(summary.sessions).toEqual({ received: 2, accepted: 1, duplicates: 0, rejected: 1 });
    expect(summary.rejected_by_code).toEqual({ '208': 1 });
    expect(await count(store, "select energy_wh from sessions where transaction_id = 'T2'")).toBe(7000);
  });

  it('refuses a mean power above 1 MW even without a registry power, and with the nominal rule off', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1', powerKw: 0 }]);
    const dir = tempDir('files');
    // 1,000,001 Wh in one hour: kWh sent as Wh.
    const file = writeJson(dir, 'a.json', { [USER]: { S1: { T1: op(T0, T0 + 3600, 0, 1_000_001), T2: op(T0 + 7200, T0 + 10800, 0, 1_000_000) } } });
    const summary = await ingestPaths(store, [file], options({ powerTolerance: 0 }));
    expect(summary.rejected_by_code).toEqual({ '208': 1 });
    expect(summary.sessions.accepted).toBe(1);
  });

  it('reports file errors (103, 101) and loads nothing of those files', async () => {
    store = await tempStore();
    const dir = tempDir('files');
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"a": {');
    const array = writeJson(dir, 'array.json', [1, 2]);
    const ndjson = path.join(dir, 'half.ndjson');
    fs.writeFileSync(ndjson, `${JSON.stringify({ [USER]: { S1: { T1: op(T0, T0 + 60, 0, 1) } } })}\nnot json\n`);
    const summary = await ingestPaths(store, [broken, array, ndjson], options());
    expect(summary.file_errors.map((e) => e.code)).toEqual([103, 101, 103]);
    expect(summary.sessions.received).toBe(0);
    expect(await count(store, 'select count(*) from ingest_batches where file_error_code is not null')).toBe(3);
    expect(await count(store, 'select count(*) from rejections')).toBe(0);
  });

  it('reads NDJSON of payloads and gzip, recognised by content', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1' }]);
    const dir = tempDir('files');
    const lines = [0, 1, 2].map((i) => JSON.stringify({ [USER]: { S1: { [`T${i}`]: op(T0 + i * 7200, T0 + i * 7200 + 60, 0, 10) } } }));
    fs.writeFileSync(path.join(dir, 'payloads.data'), zlib.gzipSync(`${lines.join('\n')}\n`));
    const summary = await ingestPaths(store, [dir], options());
    expect(summary.sessions).toEqual({ received: 3, accepted: 3, duplicates: 0, rejected: 0 });
  });

  it('loads landing files of the web service once, as route webservice', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'S1' }]);
    const landing = storeLayout(store.dataDir).landingDir;
    fs.mkdirSync(landing, { recursive: true });
    writeJson(landing, 'r1.json', {
      format: 'advenir-landing',
      version: 1,
      request_id: 'r1',
      received_at: '2026-11-27T00:00:00Z',
      operator: 'op',
      path: '/api/courbe/put',
      body: { [USER]: { S1: { T1: curve(T0, [0, 5, 9]) } } },
    });
    const first = await ingestPaths(store, [], options());
    expect(first.sessions.accepted).toBe(1);
    const second = await ingestPaths(store, [], options());
    expect(second.files).toBe(0);
    expect(await count(store, "select count(*) from sessions where route = 'webservice'")).toBe(1);
  });

  it('keeps one charge point for an IRVE point registered later through Advenir: both routes reach it', async () => {
    store = await tempStore();
    const dir = tempDir('files');
    const irveStatic = path.join(dir, 'irve-static.csv');
    fs.writeFileSync(irveStatic, 'nom_amenageur,siren_amenageur,id_pdc_itinerance,code_insee_commune,puissance_nominale,date_mise_en_service\n' +
      'Op A,891118473,FRAAAE1,75115,22,2023-10-14\n');
    const registration = path.join(dir, 'registration.csv');
    fs.writeFileSync(registration, `user_id,station_id,id_pdc_itinerance\n${USER},T-1,FRAAAE1\n`);
    await importRegistryFile(store, irveStatic);
    await importRegistryFile(store, registration);
    const irveSession = path.join(dir, 'irve.json');
    fs.writeFileSync(irveSession, `${JSON.stringify({ energy: 7.5, start: T0 * 1000, end: (T0 + 3600) * 1000, id_pdc_itinerance: 'FRAAAE1' })}\n`);
    const advenir = writeJson(dir, 'advenir.json', { [USER]: { 'T-1': { T2: op(T0 + 7200, T0 + 10_800, 0, 7000) } } });
    expect((await ingestPaths(store, [irveSession, advenir], options())).sessions).toMatchObject({ accepted: 2 });
    expect(await count(store, 'select count(*) from charge_points')).toBe(1);
    expect(await count(store, `select count(distinct cp_id) from sessions where user_id = '${USER}'`)).toBe(1);
    expect(await count(store, 'select count(*) from sessions')).toBe(2);
  });

  it('keeps two beneficiaries registering the same StationID as two charge points, each with its own sessions', async () => {
    store = await tempStore();
    const other = 'b6d0e6cf-7cac-477a-ae63-7e753c5bdda2';
    const dir = tempDir('files');
    // Each subsidy request chooses its StationIDs (seed): both call their point PDC1. The second registration
    // writes its UserID in capitals, as a spreadsheet may; sessions store UserIDs in lower case.
    const registration = path.join(dir, 'registration.csv');
    fs.writeFileSync(registration, `user_id,station_id,code_insee_commune,puissance_nominale_kw\n${USER},PDC1,75115,7.4\n${other.toUpperCase()},PDC1,35238,22\n`);
    expect(await importRegistryFile(store, registration)).toMatchObject({ chargePoints: 2, inserted: 2, beneficiaryChanges: 0 });
    // The same instants on both points: two physical sessions, not one sent twice.
    const file = writeJson(dir, 'a.json', {
      [USER]: { PDC1: { T1: op(T0, T0 + 3600, 0, 7000) } },
      [other]: { PDC1: { T1: op(T0, T0 + 3600, 0, 20_000) } },
    });
    expect((await ingestPaths(store, [file], options())).sessions).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: 0 });
    const reader = await store.connection.runAndReadAll(`select s.user_id, cp.user_id as cp_user, cp.region_code, s.energy_wh
      from sessions as s join charge_points as cp using (cp_id) order by s.energy_wh`);
    expect(reader.getRowObjectsJS().map((r) => [r.user_id, r.cp_user, r.region_code, Number(r.energy_wh)])).toEqual([
      [USER, USER, '11', 7000],
      [other, other, '53', 20_000],
    ]);
    // A new version of one registration updates that beneficiary's point only; it is not a change of beneficiary.
    fs.writeFileSync(registration, `user_id,station_id,puissance_nominale_kw\n${other},PDC1,50\n`);
    expect(await importRegistryFile(store, registration)).toMatchObject({ chargePoints: 1, inserted: 0, updated: 1, beneficiaryChanges: 0 });
    const powers = await store.connection.runAndReadAll('select user_id, nominal_power_kw from charge_points order by cp_id');
    expect(powers.getRowsJS()).toEqual([[USER, 7.4], [other, 50]]);
    // A platform record names the point by its id alone: PDC1 is two beneficiaries' point, so it is held (209).
    const irve = path.join(dir, 'irve.json');
    fs.writeFileSync(irve, `${JSON.stringify({ energy: 7.5, start: (T0 + 7200) * 1000, end: (T0 + 10_800) * 1000, id_pdc_itinerance: 'PDC1' })}\n`);
    const platform = await ingestPaths(store, [irve], options());
    expect(platform.rejected_by_code).toEqual({ '209': 1 });
    expect(await count(store, 'select count(*) from rejections where held')).toBe(1);
  });

  it('codes a negative IRVE energy 207, and stores an OCPI CDR parked overnight instead of refusing it 203', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'FRABCE1', userId: '123456789' }]);
    const dir = tempDir('files');
    const irve = path.join(dir, 'irve.json');
    fs.writeFileSync(irve, `${JSON.stringify({ energy: -1.5, start: T0 * 1000, end: (T0 + 3600) * 1000, id_pdc_itinerance: 'FRABCE1' })}\n`);
    const irveSummary = await ingestPaths(store, [irve], options());
    expect(irveSummary.rejected_by_code).toEqual({ '207': 1 });
    const at = (s: number) => new Date(s * 1000).toISOString();
    const cdr = {
      id: 'CDR1', cdr_location: { evse_id: 'FRABCE1' }, start_date_time: at(T0), end_date_time: at(T0 + 22 * 3600), total_energy: 12,
      charging_periods: [
        { start_date_time: at(T0), dimensions: [{ type: 'ENERGY', volume: 12 }] },
        { start_date_time: at(T0 + 3600), dimensions: [{ type: 'PARKING_TIME', volume: 21 }] },
      ],
    };
    const summary = await ingestPaths(store, [writeJson(dir, 'cdrs.json', [cdr])], options());
    expect(summary.sessions).toEqual({ received: 1, accepted: 1, duplicates: 0, rejected: 0 });
    expect(await count(store, "select energy_wh from sessions where transaction_id = 'CDR1'")).toBe(12_000);
  });

  it('gives records without UserID the beneficiary the registry links to the charge point (IRVE sessions)', async () => {
    store = await tempStore();
    await registerStations(store, [{ stationId: 'FRABCE1', userId: '123456789' }]);
    const dir = tempDir('files');
    const file = path.join(dir, 'irve.json');
    const record = (startMs: number, kwh: number) => JSON.stringify({ energy: kwh, start: startMs, end: startMs + 3_600_000, id_pdc_itinerance: 'FRABCE1' });
    fs.writeFileSync(file, `${record(T0 * 1000, 7.5)}\n${record((T0 + 7200) * 1000, 3.25)}\n`);
    const summary = await ingestPaths(store, [file], options());
    expect(summary.sessions).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: 0 });
    const reader = await store.connection.runAndReadAll('select user_id, energy_wh, route from sessions order by session_id');
    expect(reader.getRowObjectsJS().map((r) => [r.user_id, Number(r.energy_wh), r.route])).toEqual([
      ['123456789', 7500, 'irve-sessions'],
      ['123456789', 3250, 'irve-sessions'],
    ]);
  });
});
