-- Sessions that matter to the month, with their region key and nominal power.
-- Operations are taken with a margin of one episode span on each side so that a smart-charged chain crossing
-- a month bound is rebuilt whole (indicators.md, counterfactual); `in_month` marks those with energy in it.
-- A view: each kind is materialized once by its reader, curves by stg_month_curves.sql and operations, sorted,
-- by int_operation_sessions.sql (issue 4: a 5M-row copy of both kinds cost 1.2 CPU s more than the two halves).
create or replace temp view stg_month_sessions as
with chains_before as (
    -- Charge points with an operation ending up to episode_gap + 12 h (the longest operation) before the margin:
    -- a chain of theirs may have started before it, and a chain longer than the span is cut from its first
    -- operation (int_operation_sessions.sql), so their operations are taken `episode_lookback_s` further back.
    -- Every monthly run then cuts such a chain at the same instants (chains longer than the lookback excepted).
    select distinct cp_id from main.sessions
    where kind = 'operation'
      and stop_s < getvariable('month_start_s') - getvariable('episode_max_span_s')
      and stop_s >= getvariable('month_start_s') - getvariable('episode_max_span_s') - getvariable('episode_gap_s') - 43200
),

sessions as (
    select * from main.sessions
    where start_s < getvariable('month_end_s') + getvariable('episode_max_span_s')
      and (stop_s >= getvariable('month_start_s') - getvariable('episode_max_span_s')
        or (kind = 'operation'
            and stop_s >= getvariable('month_start_s') - getvariable('episode_max_span_s') - getvariable('episode_lookback_s')
            and cp_id in (select cp_id from chains_before)))
),

charge_points as (
    -- Region key and nominal power per charge point: 150,000 rows joined on the region code once, so that the
    -- sessions join on the integer cp_id only (issue 4: integer keys in hot joins).
    select cp.cp_id, r.region_idx, cp.nominal_power_kw
    from main.charge_points as cp
    join stg_month_regions as r on coalesce(r.region_code, '') = coalesce(cp.region_code, '')
),

final as (
    select
        s.session_id,
        s.cp_id,
        s.user_id,
        s.kind = 'curve' as is_curve,
        s.start_s,
        s.stop_s,
        s.energy_wh::double as energy_wh,
        s.point_count,
        -- The steepest segment of a curve (006_curve_max_power.sql): the fallback P and the nominal-power screen.
        s.max_power_wh_per_s,
        -- Index 0 is the unresolved region (stg_month_regions.sql).
        coalesce(cp.region_idx, 0)::integer as region_idx,
        -- kW -> Wh per second; unknown or non-positive nominal power is "unknown" (fallback rule).
        case when cp.nominal_power_kw > 0 then cp.nominal_power_kw / 3.6 end as nominal_wh_per_s,
        s.start_s < getvariable('month_end_s') and s.stop_s >= getvariable('month_start_s') as in_month,
        -- Month bounds are local midnights, so this is "local start in the month" (indicators.md, sessions).
        s.start_s >= getvariable('month_start_s') and s.start_s < getvariable('month_end_s') as starts_in_month,
    from sessions as s
    -- A left join: a session whose charge point is missing still counts, under the unresolved region.
    left join charge_points as cp using (cp_id)
)

select * from final
