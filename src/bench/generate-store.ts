import fs from 'node:fs';
import { fillCurveMaxPower } from '../store/curve-max-power.js';
import { openStore } from '../store/database.js';
import { parseMonth } from '../util/month.js';
import { readBenchArgs } from './bench-args.js';

/**
 * A deterministic national-scale month written directly in the store's format (sql/migrations/), for the
 * resampling benchmark (issue 4). Everything derives from hash(i, salt, seed), so a (sessions, seed) pair
 * always gives the same store. Half the sessions are curves (points every 17.5 min on average, irregular
 * steps of 5-30 min), half operations, three in ten of which are smart-charged chains of three on one charge
 * point (gaps of 3-4 h). Powers stay under the charge point's nominal power, so the data tests pass.
 */
export interface GenerateOptions {
  dir: string;
  sessions: number;
  seed: number;
  month: string;
  chargePoints?: number;
}

const REGIONS = ['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'];

export async function generateStore(options: GenerateOptions): Promise<{ chargePoints: number; curvePoints: number }> {
  fs.rmSync(options.dir, { recursive: true, force: true });
  const store = await openStore(options.dir);
  const month = parseMonth(options.month);
  const chargePoints = options.chargePoints ?? Math.min(150_000, Math.max(100, Math.round(options.sessions / 33)));
  const c = store.connection;
  try {
    await c.run(`set variable seed = $seed::bigint`, { seed: options.seed });
    await c.run(`set variable cps = $cps::bigint`, { cps: chargePoints });
    await c.run(`set variable n = $n::bigint`, { n: options.sessions });
    await c.run(`set variable m0 = $m0::bigint`, { m0: month.startS });
    await c.run(`set variable m1 = $m1::bigint`, { m1: month.endS });
    await c.run(`set variable regions = $regions::varchar[]`, { regions: `[${REGIONS.join(',')}]` });
    await c.run(`create or replace macro h(i, salt) as (hash(i, salt, getvariable('seed')) >> 1)::bigint;
                 create or replace macro frac(i, salt) as (h(i, salt) % 1000000) / 1e6;`);
    await c.run(chargePointsSql());
    await c.run(sessionPlanSql());
    await c.run(sessionsSql());
    await c.run(curvePointsSql());
    // As ingest does for each batch: the steepest power of every curve (006_curve_max_power.sql).
    await fillCurveMaxPower(c);
    await c.run(carbonSql());
    await c.run('drop table bench_plan; checkpoint;');
    const reader = await c.runAndReadAll('select count(*) as n from curve_points');
    return { chargePoints, curvePoints: Number(reader.getRowObjectsJS()[0].n) };
  } finally {
    store.close();
  }
}

function chargePointsSql(): string {
  return `
    insert into charge_points (cp_id, station_id, user_id, region_code, nominal_power_kw, in_service_date, source, updated_at)
    select
        (range + 1)::integer,
        'FR*BEN*E' || (range + 1),
        'B' || (range % 4000),
        case when h(range, 'noregion') % 100 = 0 then null
            else getvariable('regions')[1 + h(range, 'region') % 18] end,
        case when h(range, 'nokw') % 50 = 0 then null
            else [3.7, 7.4, 7.4, 11.0, 22.0, 22.0, 50.0][1 + h(range, 'kw') % 7] end,
        date '2023-01-01', 'advenir-registration', now()
    from range(getvariable('cps'))`;
}

/** One row per session: its charge point, kind, start, shape and power (Wh/s). */
function sessionPlanSql(): string {
  return `
    create or replace temp table bench_plan as
    with base as (
        select range as i, range % 2 = 0 as is_curve, range // 2 as o from range(getvariable('n'))
    ),
    shaped as (
        select *,
            -- Operations come in blocks of ten: positions 7-9 are one smart-charged chain of three.
            not is_curve and o % 10 >= 7 as chained,
            case when not is_curve and o % 10 >= 7 then o - o % 10 + 7 else i end as anchor,
        from base
    ),
    placed as (
        select *,
            1 + h(anchor, 'cp') % getvariable('cps') as cp_id,
            getvariable('m0') - 21600 + h(anchor, 'start') % (getvariable('m1') - getvariable('m0') - 21600) as anchor_start_s,
            2 + h(i, 'points') % 40 as point_count,
        from shaped
    )
    select p.i, p.i + 1 as session_id, p.cp_id, p.is_curve, p.point_count,
        p.anchor_start_s + case when p.chained then (p.o % 10 - 7) * 18000 else 0 end as start_s,
        case when p.chained then 3600 + h(p.i, 'dur') % 3601 else 1800 + h(p.i, 'dur') % 34201 end as op_duration_s,
        coalesce(cp.nominal_power_kw, 7.4) / 3.6 * (0.3 + 0.7 * frac(p.i, 'power')) as power_wh_per_s,
        cp.user_id,
    from placed as p
    join charge_points as cp using (cp_id)`;
}

/** Point j of a curve: 1050 s apart with +-375 s of jitter (steps of 5-30 min), a slowly tapering power. */
const pointTs = (j: string) => `start_s + ${j} * 1050 + case when ${j} = 0 then 0 else h(i * 64 + ${j}, 'jitter') % 751 - 375 end`;
const POINT_VALUE = (ts: string) =>
  `10000 + round(power_wh_per_s * (${ts} - start_s) * (1 - 0.15 * (${ts} - start_s) / ((point_count - 1) * 1050 + 375)))::bigint`;

function sessionsSql(): string {
  const lastTs = pointTs('(point_count - 1)');
  return `
    insert into sessions
    select session_id, user_id, 'FR*BEN*E' || cp_id, 'T' || session_id, cp_id::integer,
        case when is_curve then 'curve' else 'operation' end, start_s, stop_s, 10000, stop_value_wh,
        stop_value_wh - 10000, case when is_curve then point_count else 2 end, 'bench', 1, null
    from (
        select *,
            case when is_curve then ${lastTs} else start_s + op_duration_s end as stop_s,
            case when is_curve then ${POINT_VALUE(`(${lastTs})`)}
                else 10000 + floor(power_wh_per_s * op_duration_s)::bigint end as stop_value_wh,
        from bench_plan
    )
    order by session_id`;
}

function curvePointsSql(): string {
  return `
    insert into curve_points
    select session_id, ts_s, ${POINT_VALUE('ts_s')}
    from (
        select session_id, i, start_s, power_wh_per_s, point_count, j, ${pointTs('j')} as ts_s
        from (select *, unnest(range(point_count)) as j from bench_plan where is_curve)
    )
    order by session_id, ts_s`;
}

/** A consumption carbon series covering the month with a day each side (hourly shape plus noise). */
function carbonSql(): string {
  return `
    insert into carbon_imports values (1, 'bench', 'bench', 'bench', 'consumption', null, null, 0, 0, 0, now());
    insert into carbon_slots
    select 'consumption', s, 40 + 25 * sin(s / 86400.0 * 2 * pi()) + 10 * frac(s, 'co2'), 50000 + 10000 * frac(s, 'mw'), 1
    from range(getvariable('m0') - 86400, getvariable('m1') + 86400, 1800) as t(s)`;
}

async function main(): Promise<void> {
  const args = readBenchArgs(process.argv.slice(2), { dir: '.bench/store', sessions: 5_000_000, seed: 1, month: '2024-03' });
  const result = await generateStore(args);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
