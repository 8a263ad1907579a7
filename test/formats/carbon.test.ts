import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { importCarbonFile } from '../../src/formats/carbon/import.js';
import { parseMonth } from '../../src/util/month.js';
import { fixturesDir, hasShared, sharedPath } from './shared.js';

async function slots(store: Store, kind: string): Promise<[number, number, number | null][]> {
  const reader = await store.connection.runAndReadAll('select slot_s, g_per_kwh, consumption_mw from carbon_slots where kind = $kind order by slot_s', { kind });
  return reader.getRowsJS().map((row) => [Number(row[0]), Number(row[1]), row[2] === null ? null : Number(row[2])]);
}

async function storeMonthMean(store: Store, kind: string, month: string): Promise<{ mean: number; slots: number }> {
  const { startS, endS } = parseMonth(month);
  const reader = await store.connection.runAndReadAll(
    'select avg(g_per_kwh) as mean, count(*) as n from carbon_slots where kind = $kind and slot_s >= $start and slot_s < $end',
    { kind, start: startS, end: endS },
  );
  const row = reader.getRowObjectsJS()[0];
  return { mean: Number(row.mean), slots: Number(row.n) };
}

function withStore(): { get: () => Store; dir: () => string } {
  let dir = '';
  let store: Store;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carbon-'));
    store = await openStore(path.join(dir, 'data'));
  });
  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { get: () => store, dir: () => dir };
}

const T0 = Date.UTC(2024, 2, 31) / 1000;

describe('carbon import (hand-made series)', () => {
  const ctx = withStore();

  it('averages quarters into half-hours, weighted by consumption when every quarter has one, and reports gaps', async () => {
    const summary = await importCarbonFile(ctx.get(), path.join(fixturesDir, 'carbon-generic-15min.csv'));
    expect(summary).toMatchObject({ source: 'generic', rows: 6, skippedRows: 0, stepS: 900 });
    expect(summary.series).toHaveLength(1);
    expect(summary.series[0]).toMatchObject({
      kind: 'consumption', slots: 4, replacedSlots: 0, gapSlots: 2, gaps: [{ fromS: T0 + 5400, toS: T0 + 9000, slots: 2 }],
    });
    // 00:00 → (10·100 + 40·300) / 400 = 32.5; 00:30 has a quarter without consumption → plain mean 25;
    // 01:00 one quarter → 50; 04:30+02:00 is 02:30 UTC → 60.
    expect(await slots(ctx.get(), 'consumption')).toEqual([
      [T0, 32.5, 200],
      [T0 + 1800, 25, 50],
      [T0 + 3600, 50, 100],
      [T0 + 9000, 60, 100],
    ]);
  });

  it('re-importing an overlapping period replaces those slots and records how many', async () => {
    const summary = await importCarbonFile(ctx.get(), path.join(fixturesDir, 'carbon-generic-15min.csv'));
    expect(summary.series[0]).toMatchObject({ replacedSlots: 4, slots: 4 });
    expect(await slots(ctx.get(), 'consumption')).toHaveLength(4);
    const reader = await ctx.get().connection.runAndReadAll('select import_id, replaced_slots, gap_slots from carbon_imports order by import_id');
    expect(reader.getRowsJS().map((row) => row.map(Number))).toEqual([[1, 0, 2], [2, 4, 2]]);
  });

  it('a series without consumption replaces the intensities and keeps the consumption the slots had', async () => {
    // The slots of the previous import, then the same period from a source without consumption (ODRÉ-like).
    const file = path.join(ctx.dir(), 'no-consumption.csv');
    fs.writeFileSync(file, 'datetime_utc,g_per_kwh\n2024-03-31T00:00:00Z,11\n2024-03-31T00:30:00Z,12\n');
    const summary = await importCarbonFile(ctx.get(), file, { kind: 'consumption' });
    expect(summary.series[0]).toMatchObject({ replacedSlots: 2, slots: 2 });
    // The national consumption ranks the month's top-N slots: a null would leave that indicator unknown.
    expect((await slots(ctx.get(), 'consumption')).slice(0, 2)).toEqual([
      [T0, 11, 200],
      [T0 + 1800, 12, 50],
    ]);
  });

  it('hourly values fill both half-hours; a kind column splits the series; bad values are skipped', async () => {
    const summary = await importCarbonFile(ctx.get(), path.join(fixturesDir, 'carbon-generic-kinds.csv'));
    expect(summary).toMatchObject({ rows: 5, skippedRows: 1, stepS: 3600 });
    expect(summary.series.map((s) => [s.kind, s.slots])).toEqual([['consumption', 4], ['lifecycle', 4]]);
    const h = Date.UTC(2024, 0, 1) / 1000;
    expect((await slots(ctx.get(), 'lifecycle')).map(([s, g]) => [s - h, g])).toEqual([[0, 55], [1800, 55], [3600, 65], [5400, 65]]);
    const only = await importCarbonFile(ctx.get(), path.join(fixturesDir, 'carbon-generic-kinds.csv'), { kind: 'lifecycle' });
    expect(only).toMatchObject({ otherKindRows: 2, series: [{ kind: 'lifecycle', replacedSlots: 4 }] });
  });

  it('reads an Electricity Maps export re-saved by Excel (dd/mm/yyyy, gCO2eq header, decimal comma)', async () => {
    const file = path.join(fixturesDir, 'carbon-emaps-excel.csv');
    const lca = await importCarbonFile(ctx.get(), file);
    expect(lca).toMatchObject({ source: 'electricitymaps', rows: 2, skippedRows: 0, series: [{ kind: 'lifecycle', slots: 4 }] });
    const t = Date.UTC(2022, 0, 13) / 1000;
    expect((await slots(ctx.get(), 'lifecycle')).filter(([s]) => s >= t && s < t + 7200)).toEqual([
      [t, 60.25, null], [t + 1800, 60.25, null], [t + 3600, 62.75, null], [t + 5400, 62.75, null],
    ]);
    const direct = await importCarbonFile(ctx.get(), file, { kind: 'production' });
    expect(direct.series[0]).toMatchObject({ kind: 'production', meanGPerKwh: 41 });
    await expect(importCarbonFile(ctx.get(), file, { kind: 'consumption' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('refuses a daily series, an unknown file, and a --kind the source does not give', async () => {
    const daily = path.join(ctx.dir(), 'daily.csv');
    fs.writeFileSync(daily, 'datetime_utc,g_per_kwh\n2024-01-01T00:00:00Z,30\n2024-01-02T00:00:00Z,31\n2024-01-03T00:00:00Z,32\n');
    await expect(importCarbonFile(ctx.get(), daily)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    const unknown = path.join(ctx.dir(), 'unknown.csv');
    fs.writeFileSync(unknown, 'a,b\n1,2\n');
    await expect(importCarbonFile(ctx.get(), unknown)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    const eco = path.join(ctx.dir(), 'eco.csv');
    fs.writeFileSync(eco, 'Date - Heure;Consommation (MW);Taux de CO2 (g/kWh)\n2021-12-11T10:00:00+01:00;70000;73\n');
    await expect(importCarbonFile(ctx.get(), eco, { kind: 'consumption' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

/** Independent reading of a CSV file: split lines, find columns by name. */
function readCsv(file: string, delimiter: string): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line !== '');
  return { header: lines[0].split(delimiter), rows: lines.slice(1).map((line) => line.split(delimiter)) };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe.skipIf(!hasShared)('carbon files of ../shared/data: month means match the files (needs ../shared)', () => {
  const ctx = withStore();

  it('RTE éCO2mix 15-min, 2021-12: consumption-weighted half-hours', async () => {
    const file = sharedPath('data', 'fr-eco2mix-tr-15min-2021-12', 'eco2mix-national-tr_2021-12.csv');
    const summary = await importCarbonFile(ctx.get(), file);
    console.log(JSON.stringify({ ...summary, series: summary.series.map(({ gaps, ...s }) => s) }));
    const { header, rows } = readCsv(file, ';');
    const [t, c, g] = ['Date - Heure', 'Consommation (MW)', 'Taux de CO2 (g/kWh)'].map((name) => header.indexOf(name));
    const bySlot = new Map<number, { gw: number; w: number }>();
    for (const row of rows) {
      const slot = Math.floor(Date.parse(row[t]) / 1000 / 1800) * 1800;
      const entry = bySlot.get(slot) ?? { gw: 0, w: 0 };
      entry.gw += Number(row[g]) * Number(row[c]);
      entry.w += Number(row[c]);
      bySlot.set(slot, entry);
    }
    const { startS, endS } = parseMonth('2021-12');
    const expected = [...bySlot].filter(([slot]) => slot >= startS && slot < endS).map(([, e]) => e.gw / e.w);
    const actual = await storeMonthMean(ctx.get(), 'production', '2021-12');
    expect(actual.slots).toBe(expected.length);
    expect(actual.slots).toBe(1488);
    expect(actual.mean).toBeCloseTo(mean(expected), 9);
    console.log(JSON.stringify({ file: 'eco2mix', month: '2021-12', store: actual.mean, file_mean: mean(expected) }));
  });

  it('ODRÉ hourly CSV, every month of the extract', async () => {
    const file = sharedPath('data', 'fr-co2-odre-hourly', 'odre-intensite-conso_2024-10_2025-02.csv');
    const summary = await importCarbonFile(ctx.get(), file);
    console.log(JSON.stringify({ ...summary, series: summary.series.map(({ gaps, ...s }) => s) }));
    const { rows } = readCsv(file, ',');
    const points = rows.map(([time, value]) => [Date.parse(time.replace(' ', 'T').replace(/\+00$/, 'Z')) / 1000, Number(value)]);
    for (const month of ['2024-11', '2024-12', '2025-01']) {
      const { startS, endS } = parseMonth(month);
      const expected = mean(points.filter(([s]) => s >= startS && s < endS).map(([, v]) => v));
      const actual = await storeMonthMean(ctx.get(), 'consumption', month);
      expect(actual.mean).toBeCloseTo(expected, 9);
      console.log(JSON.stringify({ file: 'odre-csv', month, store: actual.mean, file_mean: expected }));
    }
  });

  it('ODRÉ hourly Parquet, 2024-05 and 2023-03 (DST), replacing the CSV overlap', async () => {
    const file = sharedPath('data', 'fr-co2-odre-hourly', 'part-enr-intensite-ges-conso-tr_2021-2026.parquet');
    const summary = await importCarbonFile(ctx.get(), file);
    console.log(JSON.stringify({ ...summary, series: summary.series.map(({ gaps, ...s }) => s) }));
    expect(summary.series[0]).toMatchObject({ slots: 49_436 * 2, replacedSlots: 3_624 * 2, gapSlots: 0 });
    for (const month of ['2023-03', '2024-05']) {
      const { startS, endS } = parseMonth(month);
      // Independent: the hourly values straight from the Parquet file (an hourly mean is the mean of its two halves).
      const reader = await ctx.get().connection.runAndReadAll(
        `select avg(intensite_emissions_conso) as mean from read_parquet('${file}')
         where date_heure_utc >= to_timestamp($start) and date_heure_utc < to_timestamp($end)`,
        { start: startS, end: endS },
      );
      const expected = Number(reader.getRowObjectsJS()[0].mean);
      const actual = await storeMonthMean(ctx.get(), 'consumption', month);
      expect(actual.mean).toBeCloseTo(expected, 9);
      console.log(JSON.stringify({ file: 'odre-parquet', month, store: actual.mean, file_mean: expected }));
    }
  });

  it('Electricity Maps hourly CSV, 2023-06: LCA by default, direct with --kind production', async () => {
    const file = sharedPath('data', 'fr-co2-electricitymaps-hourly', 'FR_2023_hourly.csv');
    const { header, rows } = readCsv(file, ',');
    const lca = header.findIndex((name) => name.includes('(LCA)'));
    const direct = header.findIndex((name) => name.includes('(direct)'));
    const { startS, endS } = parseMonth('2023-06');
    const inMonth = rows.filter((row) => {
      const s = Date.parse(`${row[0].replace(' ', 'T')}Z`) / 1000;
      return s >= startS && s < endS;
    });
    for (const [kind, column] of [['lifecycle', lca], ['production', direct]] as const) {
      const summary = await importCarbonFile(ctx.get(), file, kind === 'production' ? { kind } : {});
      console.log(JSON.stringify({ ...summary, series: summary.series.map(({ gaps, ...s }) => s) }));
      expect(summary.series[0]).toMatchObject({ kind, slots: 17_520, gapSlots: 0 });
      const expected = mean(inMonth.map((row) => Number(row[column])));
      const actual = await storeMonthMean(ctx.get(), kind, '2023-06');
      expect(actual.mean).toBeCloseTo(expected, 9);
      console.log(JSON.stringify({ file: 'electricitymaps', kind, month: '2023-06', store: actual.mean, file_mean: expected }));
    }
  });
});
