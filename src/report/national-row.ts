import type { Store } from '../store/database.js';

/** The national row of indicators.csv, for the run's closing note (JSON-safe values). */
export type NationalRow = Record<string, string | number | boolean | null>;

export async function readNationalRow(store: Store): Promise<NationalRow> {
  const reader = await store.connection.runAndReadAll(
    `select * exclude (period_start_at, period_end_at) from report_indicators where geo_level = 'national'`,
  );
  const row = reader.getRowObjectsJS()[0] ?? {};
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : (value as string | number | boolean | null)]),
  );
}

/** One line per published value, e.g. `energy_kwh 1234.5`, for a terminal. */
export function formatNationalRow(row: NationalRow): string[] {
  if (row.suppressed) return [`  national cell suppressed (${String(row.suppression_reason)})`];
  return Object.entries(row)
    .filter(([key]) => !['month', 'geo_level', 'geo_code', 'geo_name', 'suppressed', 'suppression_reason'].includes(key))
    .map(([key, value]) => `  ${key.padEnd(34)} ${value === null ? '' : String(value)}`);
}
