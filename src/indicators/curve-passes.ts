import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, runModel, setVariables, toNumber } from './sql-runner.js';

/**
 * The curve passes of the resampling (sql/intermediate/int_curve_aggregates.sql): one streaming pass over
 * curve_points when they are stored in (session, time) order, as ingest writes them (001_initial.sql), else a
 * partitioned window that sorts. The streaming pass counts rows out of order, so a wrong guess is detected
 * and redone, never published.
 */
const CURVE_MODEL = 'intermediate/int_curve_aggregates.sql';

const STORED_ORDER_WINDOW = '';
const SORTING_WINDOW = 'partition by session_id order by ts_s, value_wh';

const POINTS_IN_SESSION_RANGE = `select session_id, ts_s, value_wh from main.curve_points
    where session_id between getvariable('curve_session_min') and getvariable('curve_session_max')`;

export interface CurvePassStats {
  curvePoints: number;
  sortedPass: boolean;
}

/**
 * int_curve_aggregates for the curve sessions of stg_month_sessions: those with energy in the month, and
 * those just before it, whose counterfactual profile may reach into it.
 */
export async function buildCurveAggregates(connection: DuckDBConnection): Promise<CurvePassStats> {
  await connection.run(`create or replace temp table stg_curve_scope as
    select session_id, region_idx, start_s from stg_month_sessions where is_curve`);
  const [range] = await queryRows(connection, 'select min(session_id) as lo, max(session_id) as hi from stg_curve_scope');
  await setVariables(connection, {
    curve_session_min: { value: range.lo === null ? null : Number(range.lo), type: 'bigint' },
    curve_session_max: { value: range.hi === null ? null : Number(range.hi), type: 'bigint' },
  });
  const placeholders = { target: 'int_curve_aggregates', points: POINTS_IN_SESSION_RANGE, scope: 'stg_curve_scope' };
  await runModel(connection, CURVE_MODEL, { ...placeholders, window: STORED_ORDER_WINDOW });
  let totals = await curveTotals(connection, 'int_curve_aggregates');
  const sortedPass = totals.outOfOrderRows === 0;
  if (!sortedPass) {
    await runModel(connection, CURVE_MODEL, { ...placeholders, window: SORTING_WINDOW });
    totals = await curveTotals(connection, 'int_curve_aggregates');
  }
  return { curvePoints: totals.pointRows, sortedPass };
}

/**
 * int_curve_fallback_aggregates: the slot sums of the curve sessions whose episode has no counterfactual,
 * which then count as actual in Ecf (indicators.md). Usually none, so the pass is skipped.
 */
export async function buildCurveFallbackAggregates(connection: DuckDBConnection): Promise<void> {
  await connection.run(`create or replace temp table int_curve_fallback_scope as
    select s.session_id, s.region_idx, s.start_s
    from stg_month_sessions as s
    join int_episodes as e on e.episode_id = s.session_id
    where s.is_curve and s.in_month and not e.has_counterfactual`);
  const [row] = await queryRows(connection, 'select count(*) as n from int_curve_fallback_scope');
  if (toNumber(row.n) === 0) {
    await connection.run('create or replace temp table int_curve_fallback_aggregates as select * from int_curve_aggregates limit 0');
    return;
  }
  await runModel(connection, CURVE_MODEL, {
    target: 'int_curve_fallback_aggregates',
    points: 'select session_id, ts_s, value_wh from main.curve_points semi join int_curve_fallback_scope using (session_id)',
    scope: 'int_curve_fallback_scope',
    window: SORTING_WINDOW,
  });
}

async function curveTotals(connection: DuckDBConnection, table: string): Promise<{ outOfOrderRows: number; pointRows: number }> {
  const rows = await queryRows(connection, `select out_of_order_rows, point_rows from ${table} where grouping_set = 7`);
  return { outOfOrderRows: toNumber(rows[0]?.out_of_order_rows), pointRows: toNumber(rows[0]?.point_rows) };
}
