import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { importRegistryFile } from '../../src/formats/registry/import.js';
import { fixturesDir, hasShared, sharedPath } from './shared.js';

const USER_A = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const USER_C = 'c3333333-3333-4333-8333-333333333333';

async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  return (await store.connection.runAndReadAll(sql)).getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 10) : v])),
  );
}

describe('registry import: a StationID per beneficiary', () => {
  it("another beneficiary's registration of the same StationID is another charge point, not a change of beneficiary", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
    const store = await openStore(path.join(dir, 'data'));
    try {
      const file = path.join(dir, 'registration.csv');
      fs.writeFileSync(file, `user_id,station_id,code_insee_commune,puissance_nominale_kw\n${USER_A},PDC1,75115,7.4\n`);
      await importRegistryFile(store, file);
      fs.writeFileSync(file, `user_id,station_id,code_insee_commune,puissance_nominale_kw\n${USER_C},PDC1,35238,22\n`);
      expect(await importRegistryFile(store, file)).toMatchObject({ chargePoints: 1, inserted: 1, updated: 0, beneficiaryChanges: 0 });
      expect(await rows(store, 'select cp_id, user_id, region_code, nominal_power_kw from charge_points order by cp_id')).toEqual([
        { cp_id: 1, user_id: USER_A, region_code: '11', nominal_power_kw: 7.4 },
        { cp_id: 2, user_id: USER_C, region_code: '53', nominal_power_kw: 22 },
      ]);
      expect(await rows(store, 'select count(*) as n from charge_point_history')).toEqual([{ n: 0 }]);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('registry import (hand-made files)', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
    store = await openStore(path.join(dir, 'data'));
  });
  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports an Advenir registration CSV: arrondissements, delegated/associated communes, lost zeros, W, unresolved', async () => {
    const summary = await importRegistryFile(store, path.join(fixturesDir, 'registry-advenir.csv'));
    expect(summary).toMatchObject({
      format: 'advenir-registration', rows: 12, invalidRows: 1, duplicateRows: 1, chargePoints: 10, inserted: 10,
      updated: 0, unchanged: 0, resolved: 8, unresolved: { chargePoints: 1, communeCodes: ['44160'] }, noCommune: 1,
    });
    const points = await rows(store, 'select station_id, commune_code, department_code, region_code, nominal_power_kw, in_service_date from charge_points order by cp_id');
    const byStation = Object.fromEntries(points.map((p) => [p.station_id, p]));
    expect(byStation['ST-PARIS12']).toMatchObject({ department_code: '75', region_code: '11', nominal_power_kw: 22, in_service_date: '2023-04-01' });
    expect(byStation['ST-LYON3']).toMatchObject({ department_code: '69', region_code: '84' });
    expect(byStation['ST-MARSEILLE1']).toMatchObject({ department_code: '13', region_code: '93', nominal_power_kw: 11, in_service_date: '2022-02-01' });
    expect(byStation['ST-BEON']).toMatchObject({ department_code: '01', region_code: '84', nominal_power_kw: 22 });
    expect(byStation['ST-CORDIEUX']).toMatchObject({ department_code: '01', region_code: '84' });
    expect(byStation['ST-BOURG']).toMatchObject({ commune_code: '01053', region_code: '84', nominal_power_kw: 150 });
    expect(byStation['ST-AJACCIO']).toMatchObject({ department_code: '2A', region_code: '94' });
    expect(byStation['ST-REUNION']).toMatchObject({ department_code: '974', region_code: '04' });
    expect(byStation['ST-POSTCODE']).toMatchObject({ commune_code: '44160', region_code: null });
    expect(points.map((p) => p.station_id)).not.toContain('ST-NOUSER');
  });

  it('re-importing the same file changes nothing', async () => {
    const summary = await importRegistryFile(store, path.join(fixturesDir, 'registry-advenir.csv'));
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 10, beneficiaryChanges: 0 });
  });

  it('IRVE static NDJSON: a point registered through Advenir keeps its UserID; others belong to siren_amenageur', async () => {
    const summary = await importRegistryFile(store, path.join(fixturesDir, 'registry-irve.ndjson'));
    expect(summary).toMatchObject({
      format: 'irve-static', rows: 4, invalidRows: 1, chargePoints: 3, inserted: 2, unchanged: 1, linkedToRegistration: 1,
      resolved: 2, unresolved: { chargePoints: 1, communeCodes: ['44160'] },
    });
    const [paris] = await rows(store, `select station_id, user_id from charge_point_lookup where lookup_id = 'FRAAAE0001'`);
    expect(paris).toEqual({ station_id: 'ST-PARIS12', user_id: USER_A });
    const [irve] = await rows(store, `select user_id, region_code, source from charge_points where station_id = 'FRAAAE0002'`);
    expect(irve).toEqual({ user_id: '891118473', region_code: '11', source: 'irve-static' });
    expect((await importRegistryFile(store, path.join(fixturesDir, 'registry-irve.ndjson'))).inserted).toBe(0);
  });

  it('IRVE static CSV updates attributes and keeps the previous version in history', async () => {
    const summary = await importRegistryFile(store, path.join(fixturesDir, 'registry-irve.csv'));
    expect(summary).toMatchObject({ chargePoints: 2, inserted: 1, updated: 1, beneficiaryChanges: 0 });
    const history = await rows(store, `select station_id, nominal_power_kw from charge_point_history`);
    expect(history).toEqual([{ station_id: 'FRAAAE0002', nominal_power_kw: 150 }]);
  });

  it('a point moving to another beneficiary keeps its past beneficiary in history; a registration adopts the IRVE point it names', async () => {
    const [irveRennes] = await rows(store, `select cp_id from charge_points where station_id = 'FRCCCE0001'`);
    const before = await rows(store, 'select count(*) as n from charge_points');
    const file = path.join(dir, 'move.csv');
    fs.writeFileSync(file, `user_id,station_id,id_pdc_itinerance\n${USER_C},FRAAAE0002,\n${USER_C},ST-RENNES,FRCCCE0001\n`);
    const summary = await importRegistryFile(store, file);
    expect(summary).toMatchObject({ chargePoints: 2, inserted: 0, updated: 2, beneficiaryChanges: 2, linkedToRegistration: 2 });
    const moved = await rows(store, `select user_id from charge_point_history where station_id = 'FRAAAE0002' order by valid_to desc limit 1`);
    expect(moved).toEqual([{ user_id: '891118473' }]);
    // The IRVE point imported first and the registration naming it are one charge point (same cp_id, so the
    // sessions already stored on it stay on it), found by either id; its IRVE version is in history.
    const rennes = await rows(store, `select cp_id, station_id, id_pdc_itinerance, user_id, commune_code, region_code, source
      from charge_points where station_id in ('ST-RENNES', 'FRCCCE0001') or id_pdc_itinerance = 'FRCCCE0001'`);
    expect(rennes).toEqual([{ cp_id: irveRennes.cp_id, station_id: 'ST-RENNES', id_pdc_itinerance: 'FRCCCE0001', user_id: USER_C,
      commune_code: '35238', region_code: '53', source: 'advenir-registration' }]);
    expect(await rows(store, 'select count(*) as n from charge_points')).toEqual(before);
    const history = await rows(store, `select station_id, source from charge_point_history where cp_id = ${irveRennes.cp_id} order by valid_to`);
    expect(history[0]).toEqual({ station_id: 'FRCCCE0001', source: 'irve-static' });
    const log = await rows(store, 'select count(*) as n from registry_imports');
    expect(log).toEqual([{ n: 6 }]);
  });

  it('reads a JSON array with numbers, and a gzip CSV with ; whatever its name', async () => {
    const json = path.join(dir, 'irve.json');
    fs.writeFileSync(json, JSON.stringify([{ id_pdc_itinerance: 'FRDDDE0001', siren_amenageur: 987654321, code_insee_commune: 1053, puissance_nominale: 7400, extra: { a: 1 } }]));
    expect(await importRegistryFile(store, json)).toMatchObject({ format: 'irve-static', inserted: 1, resolved: 1 });
    const gz = path.join(dir, 'irve-export.dat');
    fs.writeFileSync(gz, zlib.gzipSync('id_pdc_itinerance;siren_amenageur;code_insee_commune;coordonneesXY;puissance_nominale\nFRDDDE0002;987654321;2B033;"[9.45, 42.70]";3,7\n'));
    expect(await importRegistryFile(store, gz)).toMatchObject({ format: 'irve-static', inserted: 1, resolved: 1 });
    const points = await rows(store, `select station_id, user_id, commune_code, region_code, nominal_power_kw from charge_points where station_id like 'FRDDD%' order by 1`);
    expect(points).toEqual([
      { station_id: 'FRDDDE0001', user_id: '987654321', commune_code: '01053', region_code: '84', nominal_power_kw: 7.4 },
      { station_id: 'FRDDDE0002', user_id: '987654321', commune_code: '2B033', region_code: '94', nominal_power_kw: 3.7 },
    ]);
  });

  it('names the line of a malformed row but never quotes it (it holds identifiers)', async () => {
    const file = path.join(dir, 'malformed.csv');
    const rows = Array.from({ length: 21_000 }, (_, i) => `${USER_A},ST-${i},,75056,22,2024-01-01`).join('\n');
    fs.writeFileSync(file, `user_id,station_id,id_pdc_itinerance,code_insee_commune,puissance_nominale_kw,date_mise_en_service\n${rows}\n` +
      `${USER_C},SECRETSTATION99,FRSECE999,75056,22,2024-01-01,extra\n`);
    const error = await importRegistryFile(store, file).then(() => undefined, (e: Error) => e);
    expect(error).toMatchObject({ code: 'FILE_UNREADABLE' });
    expect(error?.message).toMatch(/21002/);
    for (const id of [USER_C, 'SECRETSTATION99', 'FRSECE999']) expect(error?.message).not.toContain(id);
  });

  it('refuses a file that is not a registry', async () => {
    const file = path.join(dir, 'other.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    await expect(importRegistryFile(store, file)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    await expect(importRegistryFile(store, path.join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe.skipIf(!hasShared)('registry import of the real IRVE static file (needs ../shared)', () => {
  it('imports 29,109 charge points; every commune but the postcode-like 44160 resolves', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-irve-'));
    const store = await openStore(path.join(dir, 'data'));
    try {
      const summary = await importRegistryFile(store, sharedPath('data', 'fr-qualicharge-irve', 'irve-statique.json.gz'));
      expect(summary).toMatchObject({ rows: 29_109, invalidRows: 0, duplicateRows: 0, inserted: 29_109, noCommune: 0 });
      expect(summary.unresolved.communeCodes).toEqual(['44160']);
      expect(summary.resolved + summary.unresolved.chargePoints).toBe(29_109);
      const regions = await rows(store, 'select count(distinct region_code) as n from charge_points');
      expect(regions[0].n).toBeGreaterThanOrEqual(13);
      console.log(JSON.stringify(summary));
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
