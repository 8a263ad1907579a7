import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, renderSql, runModel, setVariables, toNumber } from './sql-runner.js';

/**
 * The curve passes of the resampling (sql/intermediate/int_curve_aggregates.sql). Curve points are read in
 * shards of session ids; each shard's lag/lead window streams in stored order when points are stored in
 * (session, time) order, as ingest writes them (001_initial.sql), else it sorts. A row out of order makes its
 * group's sums NaN in the streaming pass, so a wrong guess is detected and redone, never published.
 */
const CURVE_MODEL = 'intermediate/int_curve_aggregates.sql';
const STEPS = 'intermediate/int_curve_steps.sql';

/**
 * The grouping key of each curve session (int_curve_aggregates.sql): its session id for those that need session
 * sums, else its region (-2 - region). Session sums go to a sample (one curve in `session_check_modulus`) and
 * to the sessions crossing a month bound (their part inside the month): about 1 % of the curves, whose groups
 * (about 0.4M at 54M points) cost less than a second pass over every point with a semi join (issue 4: 6.5 CPU s
 * for the one pass against 5.9 + 1.3 for two). Chosen once per session, on the join's build side, so that the
 * hot pass does not compute it per point.
 */
const CURVE_SCOPE = `(
    select session_id,
        case when session_id % getvariable('session_check_modulus') = 0
                or start_s < getvariable('month_start_s') or stop_s > getvariable('month_end_s')
            then session_id else -2 - region_idx end as group_key,
    from stg_month_curves)`;

const STORED_ORDER_WINDOW = '';
const SORTING_WINDOW = 'partition by session_id order by ts_s, value_wh';

/** About this many curve sessions per shard: enough shards to keep both cores busy, few enough to stay cheap. */
const SESSIONS_PER_SHARD = 100_000;
const MAX_SHARDS = 32;

export interface CurvePassStats {
  curvePoints: number;
  /** False when the streaming pass met points out of (session, time) order and the pass was redone with a sort. */
  storedInOrder: boolean;
  shards: number;
}

/**
 * int_curve_aggregates for the curve sessions of stg_month_curves: those with energy in the month, and
 * those just before it, whose counterfactual profile may reach into it.
 */
export async function buildCurveAggregates(
  connection: DuckDBConnection,
  sessionsCheckedInFull = SESSIONS_CHECKED_IN_FULL,
): Promise<CurvePassStats> {
  await setSessionCheckModulus(connection, sessionsCheckedInFull);
  const shards = await setShardBounds(connection);
  const inShard = (k: number) => `session_id >= getvariable('curve_shard_bounds')[${k + 1}]
            and session_id < getvariable('curve_shard_bounds')[${k + 2}]`;
  const steps = (window: string) =>
    Array.from({ length: shards }, (_, k) =>
      renderSql(STEPS, {
        points: `select session_id, ts_s, value_wh from main.curve_points where ${inShard(k)}`,
        window,
      }),
    ).map((shard) => `select * from (${shard})`).join("\n    union all\n");
  const placeholders = { target: 'int_curve_aggregates', scope: CURVE_SCOPE };
  await runModel(connection, CURVE_MODEL, { ...placeholders, steps: steps(STORED_ORDER_WINDOW) });
  const storedInOrder = (await groupsPoisonedByDisorder(connection, 'int_curve_aggregates')) === 0;
  if (!storedInOrder) await runModel(connection, CURVE_MODEL, { ...placeholders, steps: steps(SORTING_WINDOW) });
  await runModel(connection, 'intermediate/int_curve_session_sums.sql');
  const [points] = await queryRows(connection, 'select sum(point_count) as n from stg_month_curves');
  return { curvePoints: toNumber(points.n), storedInOrder, shards };
}

/**
 * Per-session sums cost hash groups (one per session and slot) in the main pass: up to SESSIONS_CHECKED_IN_FULL
 * curves all get them, beyond one in `session_check_modulus`, so that the conservation data test still checks
 * about that many sessions one by one, besides those crossing a month bound.
 */
export const SESSIONS_CHECKED_IN_FULL = 10_000;

async function setSessionCheckModulus(connection: DuckDBConnection, sessionsCheckedInFull: number): Promise<void> {
  const [row] = await queryRows(connection, 'select count(*) as n from stg_month_curves');
  const modulus = Math.max(1, Math.floor(toNumber(row.n) / Math.max(1, sessionsCheckedInFull)));
  await setVariables(connection, { session_check_modulus: { value: modulus, type: 'bigint' } });
}

/** Shard k reads session ids in [bounds[k], bounds[k+1]): quantiles of the scope, so shards weigh the same. */
async function setShardBounds(connection: DuckDBConnection): Promise<number> {
  const [row] = await queryRows(connection, 'select count(*) as n from stg_month_curves');
  const shards = Math.max(1, Math.min(MAX_SHARDS, Math.ceil(toNumber(row.n) / SESSIONS_PER_SHARD)));
  // The fractions are numbers written by this code, not input.
  const fractions = Array.from({ length: shards - 1 }, (_, k) => ((k + 1) / shards).toFixed(6));
  const inner = fractions.length > 0 ? `quantile_disc(session_id, [${fractions.join(', ')}])` : '[]::bigint[]';
  await connection.run(
    `set variable curve_shard_bounds = (
       select list_concat([min(session_id)], ${inner}, [max(session_id) + 1])::bigint[] from stg_month_curves)`,
  );
  return shards;
}

/**
 * int_curve_fallback_aggregates: the slot sums of the curve sessions whose episode has no counterfactual,
 * which then count as actual in Ecf (indicators.md). Usually none, so the pass is skipped.
 */
export async function buildCurveFallbackAggregates(connection: DuckDBConnection): Promise<void> {
  await connection.run(`create or replace temp table int_curve_fallback_scope as
    select s.session_id, -2 - s.region_idx as group_key
    from stg_month_curves as s
    join int_episodes as e on e.episode_id = s.session_id
    where s.in_month and not e.has_counterfactual`);
  const [row] = await queryRows(connection, 'select count(*) as n from int_curve_fallback_scope');
  if (toNumber(row.n) === 0) {
    await connection.run('create or replace temp table int_curve_fallback_aggregates as select * from int_curve_aggregates limit 0');
    return;
  }
  await runModel(connection, CURVE_MODEL, {
    target: 'int_curve_fallback_aggregates',
    steps: renderSql(STEPS, {
      points: 'select session_id, ts_s, value_wh from main.curve_points semi join int_curve_fallback_scope using (session_id)',
      window: SORTING_WINDOW,
    }),
    scope: 'int_curve_fallback_scope',
  });
}

/** Groups whose sums are NaN: the streaming window met rows out of (session, time) order (int_curve_steps.sql). */
async function groupsPoisonedByDisorder(connection: DuckDBConnection, table: string): Promise<number> {
  const [row] = await queryRows(connection, `select count(*) as n from ${table} where isnan(a_wh_per_s) or isnan(b_wh)`);
  return toNumber(row.n);
}
