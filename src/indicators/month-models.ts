import fs from 'node:fs';
import path from 'node:path';
import type { RunParams } from '../config/params.js';
import { AppError } from '../errors.js';
import { inTransaction, type Store } from '../store/database.js';
import { sqlDir } from '../store/sql-files.js';
import type { MonthRange } from '../util/month.js';
import { fillMissingCurveMaxPower } from '../store/curve-max-power.js';
import { buildCurveAggregates, buildCurveFallbackAggregates } from './curve-passes.js';
import { queryRows, renderSql, runModel, setVariables, timed, toNumber } from './sql-runner.js';

/**
 * The month's slot models (issue 4): sessions -> energy per half-hour slot, actual and counterfactual.
 * Intermediate tables are TEMP (they hold identifiers and vanish with the connection); the month_* tables
 * are the interface to the indicators. Definitions: indicators.md; method: sql/intermediate/*.sql.
 */
export interface MonthModelStats {
  sessions: number;
  curvePoints: number;
  episodes: number;
  episodesWithoutCounterfactual: number;
  seconds: number;
}

/** Slack of the nominal-power data test: indices are whole Wh and meters are not exact (percent). */
export const NOMINAL_POWER_TOLERANCE_PCT = 10;

const ORIGIN_SLOT_OFFSET = 1_048_576;

/**
 * How far before the month's margin the operations of a charge point busy at that margin are read, so that a
 * chain longer than the episode span is cut from its true first operation (stg_month_sessions.sql).
 */
const EPISODE_LOOKBACK_DAYS = 7;

const STAGING = ['staging/stg_month_regions.sql', 'staging/stg_month_sessions.sql', 'staging/stg_month_curves.sql'];
const EPISODES = ['intermediate/int_operation_sessions.sql', 'intermediate/int_episodes.sql'];
const SLOTS = ['intermediate/int_month_sessions.sql', 'intermediate/int_month_regions.sql', 'intermediate/int_month_session_energy.sql', 'intermediate/int_month_slot_sums.sql'];
const INTERFACE = [
  'intermediate/month_cell_slots.sql',
  'intermediate/month_station_energy.sql',
  'intermediate/month_region_sessions.sql',
  'intermediate/month_region_episodes.sql',
  'intermediate/month_slot_calendar.sql',
];

export interface MonthModelOptions {
  /** Curves that all get session-level sums before sampling starts (tests lower it to cover the sampled path). */
  sessionsCheckedInFull?: number;
}

export async function buildMonthModels(
  store: Store,
  month: MonthRange,
  params: RunParams,
  options: MonthModelOptions = {},
): Promise<MonthModelStats> {
  const started = performance.now();
  const connection = store.connection;
  // Curves stored before 006_curve_max_power.sql get their steepest power once (a count when none lacks it).
  await timed('curve max power', () => fillMissingCurveMaxPower(connection));
  await setModelVariables(store, month, params);
  for (const model of STAGING) await runModel(connection, model);
  const curves = await buildCurveAggregates(connection, options.sessionsCheckedInFull);
  for (const model of EPISODES) await runModel(connection, model);
  await timed('curve fallback', () => buildCurveFallbackAggregates(connection));
  for (const model of SLOTS) await runModel(connection, model);
  // Readers of the store see the previous month tables or the new ones, never a mix.
  await inTransaction(connection, async () => {
    for (const model of INTERFACE) await runModel(connection, model);
  });
  await connection.run('drop table if exists temp.int_month_slot_sums; drop table if exists temp.int_curve_aggregates;');
  const [counts] = await queryRows(
    connection,
    // Sessions with energy in the month (the rows of int_month_session_energy, without computing that view),
    // and the episodes as month_region_episodes already counts them.
    `select
       (select count(*) from int_month_sessions where in_month) as sessions,
       (select sum(episodes) from month_region_episodes) as episodes,
       (select sum(episodes_without_counterfactual) from month_region_episodes) as without_cf`,
  );
  return {
    sessions: toNumber(counts.sessions),
    curvePoints: curves.curvePoints,
    episodes: toNumber(counts.episodes),
    episodesWithoutCounterfactual: toNumber(counts.without_cf),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Variables read by the models and the data tests with getvariable(). */
export async function setModelVariables(store: Store, month: MonthRange, params: RunParams): Promise<void> {
  await setVariables(store.connection, {
    month_start_s: { value: month.startS, type: 'bigint' },
    month_end_s: { value: month.endS, type: 'bigint' },
    month_slots: { value: (month.endS - month.startS) / 1800, type: 'bigint' },
    // A slot boundary 2^20 slots (60 years) before the month: slots counted from it are never negative.
    slot_origin_s: { value: month.startS - ORIGIN_SLOT_OFFSET * 1800, type: 'bigint' },
    origin_slot_offset: { value: ORIGIN_SLOT_OFFSET, type: 'bigint' },
    episode_gap_s: { value: Math.round(params.episodeGapHours * 3600), type: 'bigint' },
    episode_max_span_s: { value: Math.round(params.episodeMaxSpanHours * 3600), type: 'bigint' },
    episode_lookback_s: { value: EPISODE_LOOKBACK_DAYS * 86_400, type: 'bigint' },
    nominal_tolerance_pct: { value: NOMINAL_POWER_TOLERANCE_PCT, type: 'double' },
  });
}

export interface DataTestFailure {
  test: string;
  rows: number;
}

export function listDataTests(): string[] {
  return fs
    .readdirSync(path.join(sqlDir(), 'tests'))
    .filter((file) => /^assert_.+\.sql$/.test(file))
    .sort();
}

/** Temp tables of the models; the data tests read them, then they are dropped to free memory for the reports. */
const SCRATCH_TABLES = [
  'stg_month_regions', 'stg_month_curves', 'int_curve_aggregates', 'int_curve_session_sums', 'int_curve_fallback_scope', 'int_curve_fallback_aggregates',
  'int_operation_sessions', 'int_episodes', 'int_month_regions', 'int_month_slot_sums',
];
/** Temp views of the models (cheap derived relations read by a few models and data tests), dropped first. */
const SCRATCH_VIEWS = ['int_month_session_energy', 'int_month_sessions', 'stg_month_sessions'];

export async function dropScratchTables(store: Store): Promise<void> {
  for (const view of SCRATCH_VIEWS) await store.connection.run(`drop view if exists temp.${view}`);
  for (const table of SCRATCH_TABLES) await store.connection.run(`drop table if exists temp.${table}`);
}

/**
 * Runs every sql/tests/assert_*.sql; each must return no row. Messages carry counts, never identifiers.
 * Afterwards the models' temp tables are dropped (`keepScratch` keeps them, for inspection in tests).
 */
export async function runDataTests(store: Store, options: { skip?: string[]; keepScratch?: boolean } = {}): Promise<void> {
  try {
    await runEachDataTest(store, options.skip ?? []);
  } finally {
    if (!options.keepScratch) await dropScratchTables(store);
  }
}

async function runEachDataTest(store: Store, skip: string[]): Promise<void> {
  const failures: DataTestFailure[] = [];
  for (const file of listDataTests()) {
    if (skip.includes(file.replace(/\.sql$/, ''))) continue;
    const sql = renderSql(path.join('tests', file));
    const [row] = await timed(file, () => queryRows(store.connection, `select count(*) as n from (\n${sql}\n)`));
    const rows = toNumber(row.n);
    if (rows > 0) failures.push({ test: file.replace(/\.sql$/, ''), rows });
  }
  if (failures.length > 0) {
    const summary = failures.map((f) => `${f.test} (${f.rows} row${f.rows === 1 ? '' : 's'})`).join(', ');
    throw new AppError('DATA_TEST_FAILED', `data tests failed: ${summary}`, { details: { failures } });
  }
}
