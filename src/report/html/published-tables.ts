import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { quoteIdentifier } from '../../store/quote.js';
import { parseMonth } from '../../util/month.js';

/**
 * The HTML report reads ONLY the files already published in the report folder (privacy by construction: these
 * tables went through disclosure control, and hold no identifier). It never opens the store. As a second
 * safeguard, every measured value of a row flagged `suppressed` is dropped here, whatever the file holds
 * (privacy.md "How suppression appears": a suppressed value is printed nowhere).
 */
export const MEASURED_COLUMNS = [
  'sessions', 'stations', 'beneficiaries', 'energy_kwh', 'carbon_g_per_kwh', 'grid_carbon_g_per_kwh',
  'carbon_advantage_pct', 'emissions_kg', 'max_load_kw', 'peak_energy_share_pct', 'peak_mean_load_kw',
  'offpeak_energy_share_pct', 'uncontrolled_peak_mean_load_kw', 'smart_peak_reduction_kw', 'smart_shifted_energy_pct',
  'smart_carbon_delta_g_per_kwh', 'top_n_coincident_load_kw', 'coverage_pct', 'episodes',
  'episodes_without_counterfactual', 'missing_carbon_energy_pct',
] as const;

export type MeasuredColumn = (typeof MEASURED_COLUMNS)[number];

export type IndicatorRow = {
  geo_level: string;
  geo_code: string;
  geo_name: string;
  suppressed: boolean;
  suppression_reason: string | null;
} & Record<MeasuredColumn, number | null>;

export interface LoadProfileRow {
  day_type: 'weekday' | 'weekend';
  /** Minutes since local midnight of the slot start (0, 30, ..., 1410). */
  local_minute: number;
  /** Days of the month of this day type that have this local half-hour (a calendar count, never secret). */
  occurrences: number;
  mean_load_kw: number | null;
  uncontrolled_mean_load_kw: number | null;
  grid_carbon_g_per_kwh: number | null;
}

export interface PublishedTables {
  indicators: IndicatorRow[];
  /** The national cell's load profile (issue 6 charts the national profile only). */
  nationalProfile: LoadProfileRow[];
  /** quality.csv as text cells, columns in file order; empty when the file is absent. */
  quality: { columns: string[]; rows: Record<string, string | null>[] };
  manifest: Record<string, unknown>;
}

export async function readPublishedTables(reportDir: string): Promise<PublishedTables> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return {
      indicators: await readIndicators(connection, requireFile(reportDir, 'indicators.parquet')),
      nationalProfile: await readNationalProfile(connection, requireFile(reportDir, 'load_profile.parquet')),
      quality: await readQuality(connection, path.join(reportDir, 'quality.csv')),
      manifest: readManifest(path.join(reportDir, 'manifest.json')),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function requireFile(reportDir: string, name: string): string {
  const file = path.join(reportDir, name);
  if (!fs.existsSync(file)) {
    throw new AppError('REPORT_INPUT_MISSING', `cannot build report.html: ${name} is missing in ${reportDir}`);
  }
  return file;
}

async function columnsOf(connection: DuckDBConnection, file: string): Promise<Set<string>> {
  const reader = await connection.runAndReadAll('select name from parquet_schema($file)', { file });
  return new Set(reader.getRowObjectsJS().map((row) => String(row.name)));
}

/** A measured column as double, null when absent from the file or when the row is suppressed. */
function measured(column: string, present: Set<string>): string {
  if (!present.has(column)) return `null::double as ${quoteIdentifier(column)}`;
  const name = quoteIdentifier(column);
  return `case when coalesce(suppressed, false) then null else ${name}::double end as ${name}`;
}

async function readIndicators(connection: DuckDBConnection, file: string): Promise<IndicatorRow[]> {
  const present = await columnsOf(connection, file);
  const reader = await connection.runAndReadAll(
    `select geo_level::varchar as geo_level, geo_code::varchar as geo_code, geo_name::varchar as geo_name,
            coalesce(suppressed, false) as suppressed, suppression_reason::varchar as suppression_reason,
            ${MEASURED_COLUMNS.map((column) => measured(column, present)).join(',\n')}
     from read_parquet($file)
     -- Accents ignored, as the region charts sort (localeCompare 'fr'): « Île-de-France » among the I, not after Z.
     order by geo_level <> 'national', geo_name collate noaccent, geo_code`,
    { file },
  );
  return reader.getRowObjectsJS() as unknown as IndicatorRow[];
}

async function readNationalProfile(connection: DuckDBConnection, file: string): Promise<LoadProfileRow[]> {
  const present = await columnsOf(connection, file);
  const reader = await connection.runAndReadAll(
    `select day_type::varchar as day_type,
            (hour(local_time::time) * 60 + minute(local_time::time))::integer as local_minute,
            ${present.has('occurrences') ? 'coalesce(occurrences, 0)::integer' : '0'} as occurrences,
            ${['mean_load_kw', 'uncontrolled_mean_load_kw', 'grid_carbon_g_per_kwh'].map((c) => measured(c, present)).join(',\n')}
     from read_parquet($file)
     where geo_level = 'national'
     order by day_type, local_minute`,
    { file },
  );
  return reader.getRowObjectsJS() as unknown as LoadProfileRow[];
}

async function readQuality(connection: DuckDBConnection, file: string): Promise<PublishedTables['quality']> {
  if (!fs.existsSync(file)) return { columns: [], rows: [] };
  const reader = await connection.runAndReadAll(
    'select * from read_csv($file, header = true, all_varchar = true)',
    { file },
  );
  const columns = reader.columnNames();
  const rows = reader.getRowObjectsJS() as Record<string, string | null>[];
  return { columns, rows };
}

function readManifest(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    throw new AppError('REPORT_INPUT_MISSING', `cannot build report.html: ${file} is not valid JSON`, { cause: error });
  }
}

/** Half-hours of the month with a carbon intensity (manifest.json `carbon.slots_in_month`), of the month's total. */
export interface CarbonCoverage {
  known: number;
  total: number;
  pct: number;
}

export function carbonCoverage(tables: PublishedTables, month: string): CarbonCoverage | null {
  const carbon = tables.manifest.carbon as { slots_in_month?: unknown } | undefined;
  const known = Number(carbon?.slots_in_month);
  if (!Number.isFinite(known)) return null;
  const { startS, endS } = parseMonth(month);
  const total = (endS - startS) / 1800;
  return { known, total, pct: (100 * known) / total };
}
