import type { RunParams } from '../config/params.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/database.js';
import type { MonthRange } from '../util/month.js';

export interface CarbonSeries {
  kind: string;
  /** source_name of the imports that provided the month's slots, sorted (e.g. ['ODRE']). */
  sources: string[];
  slots: number;
}

/**
 * The carbon series a run uses (indicators.md "Carbon"): the configured kind, or with `auto` the one kind the
 * store has for the month: the kind covering the most slots of the month, consumption preferred on a tie (the
 * ODRÉ series includes imports).
 */
export async function resolveCarbonSeries(store: Store, month: MonthRange, params: RunParams): Promise<CarbonSeries> {
  const reader = await store.connection.runAndReadAll(
    `select slots.kind, count(*) as slots, list(distinct imports.source_name order by imports.source_name) as sources
     from carbon_slots as slots
     left join carbon_imports as imports using (import_id)
     where slots.slot_s >= $start and slots.slot_s < $end
     group by slots.kind
     order by count(*) desc, slots.kind <> 'consumption', slots.kind`,
    { start: month.startS, end: month.endS },
  );
  const available = reader.getRowObjectsJS().map((row) => ({
    kind: String(row.kind),
    slots: Number(row.slots),
    sources: ((row.sources as unknown[]) ?? []).filter((name) => name !== null).map(String),
  }));
  const wanted = params.carbonKind === 'auto' ? (available[0]?.kind ?? 'consumption') : params.carbonKind;
  return available.find((series) => series.kind === wanted) ?? { kind: wanted, sources: [], slots: 0 };
}

/**
 * indicators.md: the report states the share of EV energy in slots without intensity and refuses when it
 * exceeds the limit (1 % by default). Checked on the national cell, which holds all the month's energy.
 */
export async function assertCarbonCoverage(store: Store, params: RunParams, carbon: CarbonSeries): Promise<number> {
  const reader = await store.connection.runAndReadAll(
    `select coalesce(missing_carbon_energy_pct, 0) as pct from mart_indicators where geo_level = 'national'`,
  );
  const missingPct = Number(reader.getRowObjectsJS()[0]?.pct ?? 0);
  if (missingPct > params.maxMissingCarbonPct) {
    throw new AppError(
      'CARBON_MISSING',
      `${missingPct.toFixed(2)} % of the month's EV energy falls in slots without ${carbon.kind} carbon intensity ` +
        `(limit ${params.maxMissingCarbonPct} %); import the ${carbon.kind} series for the month or choose --carbon-kind`,
      { details: { missingPct, kind: carbon.kind, limitPct: params.maxMissingCarbonPct } },
    );
  }
  return missingPct;
}
