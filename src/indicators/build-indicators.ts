import type { RunParams } from '../config/params.js';
import type { Store } from '../store/database.js';
import { readSql } from '../store/sql-files.js';
import type { MonthRange } from '../util/month.js';
import { assertCarbonCoverage, resolveCarbonSeries, type CarbonSeries } from './carbon-kind.js';
import { loadGeoRegions } from './geo.js';
import { setMonthVariables } from './month-variables.js';

/** The marts, in dependency order; each creates the temp table named after it (a macro file, its macro). */
export const INDICATOR_MODELS = [
  'marts/mart_month_calendar.sql',
  'marts/mart_cells.sql',
  'marts/mart_cell_slots.sql',
  'macros/contributor_stats.sql',
  'marts/mart_cell_contributors.sql',
  'marts/mart_region_registered.sql',
  'marts/mart_indicators.sql',
  'marts/mart_load_profile.sql',
] as const;

export interface MonthIndicators {
  carbon: CarbonSeries;
  missingCarbonPct: number;
}

/**
 * Computes the month's indicators, before disclosure control, from the slot tables that buildMonthModels
 * made (month_cell_slots, month_station_energy, month_region_sessions, month_region_episodes).
 */
export async function buildIndicators(store: Store, month: MonthRange, params: RunParams): Promise<MonthIndicators> {
  const carbon = await resolveCarbonSeries(store, month, params);
  await setMonthVariables(store, month, params, carbon.kind);
  await loadGeoRegions(store);
  for (const model of INDICATOR_MODELS) await store.connection.run(readSql(model));
  const missingCarbonPct = await assertCarbonCoverage(store, params, carbon);
  return { carbon, missingCarbonPct };
}
