import path from 'node:path';
import type { Store } from '../../store/database.js';
import { inTransaction } from '../../store/database.js';
import { AppError } from '../../errors.js';
import { SLOT_SECONDS } from '../../util/month.js';
import { assertReadable } from '../read-input.js';
import { sha256File } from '../../util/hash.js';
import { CARBON_KINDS, planCarbonSource, type CarbonKind, type CarbonSourcePlan } from './source.js';
import { slotsSql, writeKindSql } from './slots-sql.js';
import { duckdbErrorMessage } from '../../util/safe-messages.js';

export interface CarbonGap {
  fromS: number;
  toS: number;
  slots: number;
}

export interface CarbonSeriesSummary {
  importId: number;
  kind: CarbonKind;
  firstSlotS: number;
  lastSlotS: number;
  slots: number;
  /** Slots that an earlier import had filled and this one replaced. */
  replacedSlots: number;
  /** Missing half-hours between the first and last slot of this import. */
  gapSlots: number;
  gaps: CarbonGap[];
  meanGPerKwh: number;
}

export interface CarbonImportSummary {
  file: string;
  source: CarbonSourcePlan['source'];
  sourceName: string;
  rows: number;
  /** Rows without a usable time or intensity (e.g. the future quarters of an éCO2mix real-time file). */
  skippedRows: number;
  /** Rows of another kind than --kind (generic CSV with a kind column). */
  otherKindRows: number;
  stepS: number;
  series: CarbonSeriesSummary[];
}

/** Gap ranges listed in a summary; the count is always complete. */
const MAX_LISTED_GAPS = 20;

/**
 * `pipeline carbon import <file>`: a carbon-intensity series, resampled to half-hour slots (indicators.md,
 * "Carbon"), stored per kind; slots already present are replaced and counted. One transaction per file.
 */
export async function importCarbonFile(store: Store, filePath: string, options: { kind?: CarbonKind } = {}): Promise<CarbonImportSummary> {
  assertReadable(filePath);
  if (options.kind && !CARBON_KINDS.includes(options.kind)) throw new AppError('USAGE', `unknown carbon kind '${options.kind}'`);
  const sha256 = sha256File(filePath);
  const connection = store.connection;
  const plan = await planCarbonSource(connection, filePath, options.kind);
  return inTransaction(connection, async () => {
    try {
      await connection.run(`
        create or replace temp table stg_carbon_points as
        select ${plan.timeSql} as ts_s, ${plan.valueSql} as g_per_kwh, ${plan.consumptionSql} as consumption_mw, ${plan.kindSql} as kind
        from ${plan.from}`);
    } catch (error) {
      throw new AppError('FILE_UNREADABLE', `${filePath} cannot be read as ${plan.sourceName}: ${duckdbErrorMessage(error)}`, { cause: error });
    }
    const counts = await rowOf(store, `
      select count(*) as rows,
        count(*) filter (where ts_s is null or g_per_kwh is null or not isfinite(g_per_kwh) or g_per_kwh < 0
                                or kind not in ('production', 'consumption', 'lifecycle')) as skipped,
        count(*) filter (where $kind is not null and kind <> $kind) as other_kind
      from stg_carbon_points`, { kind: options.kind ?? null });
    const stepS = await measureStep(store, plan.nominalStepS);
    await connection.run(slotsSql(stepS), { kind: options.kind ?? null });
    const kinds = (await connection.runAndReadAll('select distinct kind from stg_carbon_slots order by kind')).getRowObjectsJS();
    if (kinds.length === 0) throw new AppError('FILE_UNREADABLE', `${filePath} holds no usable carbon intensity value`);
    const series: CarbonSeriesSummary[] = [];
    for (const row of kinds) series.push(await writeKind(store, String(row.kind) as CarbonKind, filePath, sha256, plan));
    return {
      file: path.basename(filePath),
      source: plan.source,
      sourceName: plan.sourceName,
      rows: counts.rows,
      skippedRows: counts.skipped,
      otherKindRows: counts.other_kind,
      stepS,
      series,
    };
  });
}

/** The most frequent step between consecutive rows; hourly or finer (a daily mean says nothing of half-hours). */
async function measureStep(store: Store, nominalStepS: number): Promise<number> {
  const row = await rowOf(store, `
    with steps as (
        select ts_s - lag(ts_s) over (partition by kind order by ts_s) as step_s
        from stg_carbon_points where ts_s is not null
    )
    select coalesce(mode(step_s) filter (where step_s > 0), ${nominalStepS}) as step_s from steps`);
  const stepS = row.step_s;
  if (stepS > 3600) throw new AppError('FILE_UNREADABLE', `the series' step is ${stepS} s; carbon series must be hourly or finer`);
  return stepS;
}

async function writeKind(store: Store, kind: CarbonKind, filePath: string, sha256: string, plan: CarbonSourcePlan): Promise<CarbonSeriesSummary> {
  const stats = await rowOf(store, `
    select min(slot_s) as first_s, max(slot_s) as last_s, count(*) as slots, avg(g_per_kwh) as mean,
      (select count(*) from carbon_slots as c join stg_carbon_slots as n using (kind, slot_s) where n.kind = $kind) as replaced,
      (select coalesce(max(import_id), 0) + 1 from carbon_imports) as import_id
    from stg_carbon_slots where kind = $kind`, { kind });
  const gapRows = (await store.connection.runAndReadAll(`
    with ordered as (select slot_s, lead(slot_s) over (order by slot_s) as next_s from stg_carbon_slots where kind = $kind)
    select slot_s + ${SLOT_SECONDS} as from_s, next_s as to_s, (next_s - slot_s) // ${SLOT_SECONDS} - 1 as slots
    from ordered where next_s - slot_s > ${SLOT_SECONDS} order by slot_s`, { kind })).getRowObjectsJS();
  const gaps = gapRows.map((gap) => ({ fromS: Number(gap.from_s), toS: Number(gap.to_s), slots: Number(gap.slots) }));
  const gapSlots = gaps.reduce((total, gap) => total + gap.slots, 0);
  for (const statement of writeKindSql()) {
    await store.connection.run(statement.sql, statement.params({
      kind, import_id: stats.import_id, source_file: path.resolve(filePath), sha256, source_name: plan.sourceName,
      first_s: stats.first_s, last_s: stats.last_s, slots: stats.slots, replaced: stats.replaced, gap_slots: gapSlots,
    }));
  }
  return {
    importId: stats.import_id, kind, firstSlotS: stats.first_s, lastSlotS: stats.last_s, slots: stats.slots,
    replacedSlots: stats.replaced, gapSlots, gaps: gaps.slice(0, MAX_LISTED_GAPS), meanGPerKwh: stats.mean,
  };
}

async function rowOf(store: Store, sql: string, params?: Record<string, string | number | null>): Promise<Record<string, number>> {
  const reader = params ? await store.connection.runAndReadAll(sql, params as never) : await store.connection.runAndReadAll(sql);
  const row = reader.getRowObjectsJS()[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)]));
}
