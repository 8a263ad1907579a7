import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Writes a small report folder with the columns of src/report/publish-month.ts (indicators.parquet,
 * load_profile.parquet, quality.csv), whose values are known by construction:
 * - France: 4 321 sessions, 123 456,789 kWh; regions 11 and 84 published; 24 (min_stations) and 53 (secondary)
 *   suppressed.
 * - National weekday load: 100 kW at every slot, 250 kW in [18:00, 20:00); uncontrolled: 300 kW at 18:00-20:00.
 * With `poisonSuppressed`, the suppressed rows carry values (987654.321, 4242) that the contract says are
 * null: the report must not print them either way.
 */
export interface FixtureOptions {
  poisonSuppressed?: boolean;
  nationalSuppressed?: boolean;
  csvLocale?: 'en' | 'fr';
  /** smart_peak_reduction_kw of every published cell (default 50). */
  smartPeakReductionKw?: number;
  /** Writes manifest.json with `carbon.slots_in_month` (half-hours of the month with an intensity). */
  carbonSlotsInMonth?: number;
  /** Adds a published region whose name sorts after « Île-de-France » with accents ignored (Normandie). */
  withNormandie?: boolean;
}

export const POISON_VALUE = 987654.321;
export const POISON_COUNT = 4242;

interface Cell {
  geo_level: string;
  geo_code: string;
  geo_name: string;
  sessions: number;
  stations: number;
  energy_kwh: number;
  carbon: number;
  peak_pct: number;
  reason: string | null;
}

function cells(options: FixtureOptions): Cell[] {
  const poison = options.poisonSuppressed ?? false;
  return [
    { geo_level: 'national', geo_code: 'FR', geo_name: 'France', sessions: 4321, stations: 345, energy_kwh: 123456.789, carbon: 31.25, peak_pct: 12.5,
      reason: options.nationalSuppressed ? 'min_beneficiaries' : null },
    { geo_level: 'region', geo_code: '11', geo_name: 'Île-de-France', sessions: 2000, stations: 150, energy_kwh: 60000, carbon: 35.5, peak_pct: 20.25, reason: null },
    { geo_level: 'region', geo_code: '84', geo_name: 'Auvergne-Rhône-Alpes', sessions: 1500, stations: 120, energy_kwh: 40000, carbon: 28.75, peak_pct: 8.5, reason: null },
    { geo_level: 'region', geo_code: '24', geo_name: 'Centre-Val de Loire', sessions: poison ? POISON_COUNT : 0, stations: poison ? POISON_COUNT : 0,
      energy_kwh: poison ? POISON_VALUE : 0, carbon: poison ? POISON_VALUE : 0, peak_pct: poison ? POISON_VALUE : 0, reason: 'min_stations' },
    { geo_level: 'region', geo_code: '53', geo_name: 'Bretagne', sessions: poison ? POISON_COUNT : 0, stations: poison ? POISON_COUNT : 0,
      energy_kwh: poison ? POISON_VALUE : 0, carbon: poison ? POISON_VALUE : 0, peak_pct: poison ? POISON_VALUE : 0, reason: 'secondary' },
    ...(options.withNormandie
      ? [{ geo_level: 'region', geo_code: '28', geo_name: 'Normandie', sessions: 500, stations: 60, energy_kwh: 20000, carbon: 30, peak_pct: 10, reason: null }]
      : []),
  ];
}

/** A measured value as SQL: null in a suppressed row unless the test poisons it. */
function value(cell: Cell, v: number, poison: boolean, type = 'double'): string {
  return cell.reason !== null && !poison ? `null::${type}` : `${v}::${type}`;
}

export async function writePublishedFixture(options: FixtureOptions = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-'));
  const poison = options.poisonSuppressed ?? false;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = cells(options).map((cell) => `select '2024-05' as month, '${cell.geo_level}' as geo_level, '${cell.geo_code}' as geo_code,
        '${cell.geo_name.replaceAll("'", "''")}' as geo_name,
        ${value(cell, cell.sessions, poison, 'bigint')} as sessions, ${value(cell, cell.stations, poison, 'bigint')} as stations,
        ${value(cell, 12, poison, 'bigint')} as beneficiaries, ${value(cell, cell.energy_kwh, poison)} as energy_kwh,
        ${value(cell, cell.carbon, poison)} as carbon_g_per_kwh, ${value(cell, 40, poison)} as grid_carbon_g_per_kwh,
        ${value(cell, 100 * (1 - cell.carbon / 40), poison)} as carbon_advantage_pct, ${value(cell, cell.energy_kwh * cell.carbon / 1000, poison)} as emissions_kg,
        ${value(cell, 400, poison)} as max_load_kw, ${value(cell, cell.peak_pct, poison)} as peak_energy_share_pct,
        ${value(cell, 250, poison)} as peak_mean_load_kw, ${value(cell, 30, poison)} as offpeak_energy_share_pct,
        ${value(cell, 300, poison)} as uncontrolled_peak_mean_load_kw, ${value(cell, options.smartPeakReductionKw ?? 50, poison)} as smart_peak_reduction_kw,
        ${value(cell, 7.5, poison)} as smart_shifted_energy_pct, ${value(cell, 1.5, poison)} as smart_carbon_delta_g_per_kwh,
        null::double as top_n_coincident_load_kw, ${value(cell, 87.5, poison)} as coverage_pct,
        ${value(cell, 900, poison, 'bigint')} as episodes, ${value(cell, 3, poison, 'bigint')} as episodes_without_counterfactual,
        ${value(cell, 0.25, poison)} as missing_carbon_energy_pct,
        ${cell.reason !== null} as suppressed, ${cell.reason === null ? 'null::varchar' : `'${cell.reason}'`} as suppression_reason`);
    await connection.run(`create table indicators as ${rows.join('\nunion all\n')}`);
    await connection.run(`copy indicators to '${path.join(dir, 'indicators.parquet')}' (format parquet)`);
    await connection.run(profileSql(options));
    await connection.run(`copy load_profile to '${path.join(dir, 'load_profile.parquet')}' (format parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  fs.writeFileSync(path.join(dir, 'quality.csv'), qualityCsv(options.csvLocale ?? 'en'));
  if (options.carbonSlotsInMonth !== undefined) {
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ month: '2024-05', carbon: { kind: 'consumption', sources: ['ODRE'], slots_in_month: options.carbonSlotsInMonth } }));
  }
  return dir;
}

/** National rows (weekday, weekend) and a suppressed region's rows, 48 local half-hours each. */
function profileSql(options: FixtureOptions): string {
  const poison = options.poisonSuppressed ?? false;
  const nationalSecret = options.nationalSuppressed ?? false;
  return `create table load_profile as
    with slots as (select time '00:00:00' + range * interval 30 minute as local_time, range as i from range(48)),
    cells as (select * from (values ('national', 'FR', 'France', ${nationalSecret}), ('region', '24', 'Centre-Val de Loire', true)) as t(geo_level, geo_code, geo_name, suppressed)),
    days as (select * from (values ('weekday', 21), ('weekend', 10)) as t(day_type, occurrences))
    select '2024-05' as month, geo_level, geo_code, geo_name, day_type, local_time, occurrences::integer as occurrences,
      case when suppressed and not ${poison} then null when suppressed then ${POISON_VALUE}
           when day_type = 'weekday' and i between 36 and 39 then 250.0 else 100.0 end as mean_load_kw,
      case when suppressed and not ${poison} then null when suppressed then ${POISON_VALUE}
           when day_type = 'weekday' and i between 36 and 39 then 300.0 else 90.0 end as uncontrolled_mean_load_kw,
      case when suppressed and not ${poison} then null else 40.0 + i end as grid_carbon_g_per_kwh,
      suppressed, case when suppressed then 'min_stations' end as suppression_reason
    from cells, days, slots`;
}

function qualityCsv(locale: 'en' | 'fr'): string {
  const rows = [
    ['scope', 'metric', 'route', 'code', 'value'],
    ['month', 'coverage_pct', '', '', '87.5'],
    ['month', 'missing_carbon_energy_pct', '', '', '0.25'],
    ['month', 'sessions_received', 'advenir-file', '', '4330'],
    ['month', 'sessions_accepted', 'advenir-file', '', '4321'],
    ['month', 'sessions_rejected', 'advenir-file', '201', '5'],
    ['month', 'sessions_rejected', 'advenir-file', '203', '3'],
    ['month', 'sessions_held', 'advenir-file', '209', '1'],
    ['store', 'files', 'advenir-file', '', '12'],
  ];
  const separator = locale === 'fr' ? ';' : ',';
  const text = rows.map((row) => row.map((cell) => (locale === 'fr' ? cell.replace('.', ',') : cell)).join(separator)).join('\n');
  return `${locale === 'fr' ? '\uFEFF' : ''}${text}\n`;
}
