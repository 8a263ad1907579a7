import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runParamsSchema, type RunParams } from '../../src/config/params.js';
import { publishMonth } from '../../src/report/publish-month.js';
import type { Store } from '../../src/store/database.js';
import { openTempStore } from '../indicators/month-fixture.js';
import { MAY, loadMayStore } from './report-fixture.js';
import { quietOutput } from '../helpers/store.js';

const quiet = quietOutput();

describe('publishMonth: reports/<month>/ files', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => void;
  let reportsDir: string;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await openTempStore());
    reportsDir = path.join(dir, 'reports');
    await loadMayStore(store);
  });
  afterEach(() => cleanup());

  const publish = (params: RunParams = runParamsSchema.parse({}), extra: Partial<Parameters<typeof publishMonth>[1]> = {}) =>
    publishMonth(store, { month: MAY, params, paths: { dataDir: store.dataDir, reportsDir }, output: quiet, runId: 1, ...extra });

  const read = (file: string) => fs.readFileSync(path.join(reportsDir, '2024-05', file));

  it('writes every file, with a manifest that hashes them', async () => {
    await store.connection.run(`insert into runs (run_id, month, started_at, status) values (1, '2024-05', now(), 'running')`);
    const summary = await publish();
    const stored = (await store.connection.runAndReadAll('select manifest_json from runs where run_id = 1')).getRowObjectsJS()[0];
    expect(stored.manifest_json).toBe(read('manifest.json').toString());
    // Other writers (report.html) may add files; these are this module's own.
    expect(summary.files).toEqual(expect.arrayContaining(['indicators.csv', 'indicators.parquet', 'load_profile.csv', 'load_profile.parquet', 'manifest.json', 'quality.csv']));
    expect(summary.national).toMatchObject({ geo_code: 'FR', suppressed: false, stations: 35, energy_kwh: 73.5 });
    const manifest = JSON.parse(read('manifest.json').toString());
    expect(manifest).toMatchObject({
      month: '2024-05', parameters: { minStations: 10, minBeneficiaries: 3, dominancePct: 85, carbonKind: 'auto' },
      carbon: { kind: 'consumption', sources: ['ODRE'], missing_carbon_energy_pct: 0 },
      rows: { indicators: 19, load_profile: 19 * 96 },
      suppressed_cells: { min_stations: 11 + 5, min_beneficiaries: 0, dominance: 0, secondary: 1 },
    });
    expect(manifest.input_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const file of manifest.files) {
      expect(createHash('sha256').update(read(file.name)).digest('hex')).toBe(file.sha256);
    }
    const csv = read('indicators.csv').toString().split('\n');
    expect(csv[0]).toBe(
      'month,geo_level,geo_code,geo_name,period_start_at,period_end_at,sessions,stations,beneficiaries,energy_kwh,carbon_g_per_kwh,' +
        'grid_carbon_g_per_kwh,carbon_advantage_pct,emissions_kg,max_load_kw,peak_energy_share_pct,peak_mean_load_kw,' +
        'offpeak_energy_share_pct,uncontrolled_peak_mean_load_kw,smart_peak_reduction_kw,smart_shifted_energy_pct,' +
        'smart_carbon_delta_g_per_kwh,top_n_coincident_load_kw,coverage_pct,episodes,episodes_without_counterfactual,' +
        'missing_carbon_energy_pct,suppressed,suppression_reason',
    );
    expect(csv[1]).toMatch(/^2024-05,national,FR,France,2024-04-30T22:00:00Z,2024-05-31T22:00:00Z,35,35,5,73.5,42.5,42.5,0,3.124,73.5,50,/);
    expect(csv.find((line) => line.startsWith('2024-05,region,93,'))).toBe(
      '2024-05,region,93,Provence-Alpes-Côte d\'Azur,2024-04-30T22:00:00Z,2024-05-31T22:00:00Z,' + ',,,,,,,,,,,,,,,,,,,,,true,min_stations',
    );
  });

  it('types the Parquet columns', async () => {
    await publish();
    const types = async (file: string) => {
      const reader = await store.connection.runAndReadAll(`describe select * from read_parquet('${path.join(reportsDir, '2024-05', file)}')`);
      return Object.fromEntries(reader.getRowObjectsJS().map((row) => [row.column_name, row.column_type]));
    };
    expect(await types('indicators.parquet')).toMatchObject({
      month: 'VARCHAR', period_start_at: 'TIMESTAMP WITH TIME ZONE', sessions: 'BIGINT', stations: 'BIGINT',
      energy_kwh: 'DOUBLE', coverage_pct: 'DOUBLE', suppressed: 'BOOLEAN', suppression_reason: 'VARCHAR',
    });
    expect(await types('load_profile.parquet')).toMatchObject({ local_time: 'TIME', occurrences: 'INTEGER', mean_load_kw: 'DOUBLE', suppressed: 'BOOLEAN' });
  });

  it('writes French CSV with ; and decimal commas', async () => {
    await publish(runParamsSchema.parse({ csvLocale: 'fr' }));
    const lines = read('indicators.csv').toString().split('\n');
    expect(lines[0].startsWith('\uFEFFmonth;geo_level;geo_code;geo_name;')).toBe(true);
    expect(lines[1]).toMatch(/^2024-05;national;FR;France;2024-04-30T22:00:00Z;2024-05-31T22:00:00Z;35;35;5;73,5;42,5;42,5;0;3,124;/);
  });

  it('gives byte-identical CSV and Parquet files on a second run', async () => {
    await publish(undefined, { runId: 1, now: new Date('2026-01-01T00:00:00Z') });
    const first = Object.fromEntries(fs.readdirSync(path.join(reportsDir, '2024-05')).map((f) => [f, read(f)]));
    await publish(undefined, { runId: 2, now: new Date('2026-02-01T00:00:00Z') });
    for (const file of Object.keys(first).filter((f) => f !== 'manifest.json')) expect(read(file).equals(first[file])).toBe(true);
    const [m1, m2] = [JSON.parse(first['manifest.json'].toString()), JSON.parse(read('manifest.json').toString())];
    expect({ ...m2, run_id: 0, generated_at: '' }).toEqual({ ...m1, run_id: 0, generated_at: '' });
  });

  it('leaves the previous reports untouched when a run fails mid-way', async () => {
    await publish();
    const before = read('indicators.csv');
    await store.connection.run('update month_cell_slots set energy_wh = energy_wh * 2');
    const failing = async (context: { dir: string }) => {
      fs.writeFileSync(path.join(context.dir, 'half-written.txt'), 'x');
      throw new Error('disk full');
    };
    await expect(publish(undefined, { extraWriters: [failing] })).rejects.toThrow('disk full');
    expect(read('indicators.csv').equals(before)).toBe(true);
    expect(fs.readdirSync(reportsDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
  });

  it('withholds the values of a suppressed national cell from quality.csv and the manifest', async () => {
    await publish();
    const published = read('quality.csv').toString();
    expect(published).toContain('month,sessions_accepted,advenir-file,,35');
    expect(published).toContain('month,missing_carbon_energy_pct,,,');
    expect(JSON.parse(read('manifest.json').toString()).carbon.missing_carbon_energy_pct).toEqual(expect.any(Number));

    await publish(runParamsSchema.parse({ minStations: 100 }));
    const quality = read('quality.csv').toString();
    expect(quality.split('\n')[0]).toBe('scope,metric,route,code,value');
    // The month's received and accepted sessions are the national session count; the coverage and the
    // missing-carbon share are national values (privacy.md: derivable values count as published).
    for (const metric of ['coverage_pct', 'missing_carbon_energy_pct', 'month,sessions_accepted', 'month,sessions_received']) {
      expect(quality).not.toContain(metric);
    }
    expect(quality).toContain('month,sessions_rejected,advenir-file,201,1');
    // The store's totals are files only: its session totals would be the month's national counts here.
    expect(quality).toContain('store,files,advenir-file,,');
    expect(quality).not.toContain('store,sessions');
    expect(JSON.parse(read('manifest.json').toString()).carbon.missing_carbon_energy_pct).toBeNull();
  });
});
