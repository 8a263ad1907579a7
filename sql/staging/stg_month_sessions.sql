-- Sessions that matter to the month, with their region key and nominal power.
-- Operations are taken with a margin of one episode span on each side so that a smart-charged chain crossing
-- a month bound is rebuilt whole (indicators.md, counterfactual); `in_month` marks those with energy in it.
create or replace temp table stg_month_sessions as
with sessions as (
    select * from main.sessions
    where start_s < getvariable('month_end_s') + getvariable('episode_max_span_s')
      and stop_s >= getvariable('month_start_s') - getvariable('episode_max_span_s')
),

charge_points as (
    select cp_id, region_code, nominal_power_kw from main.charge_points
),

regions as (
    select region_idx, coalesce(region_code, '') as region_key from stg_month_regions
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
        r.region_idx,
        -- kW -> Wh per second; unknown or non-positive nominal power is "unknown" (fallback rule).
        case when cp.nominal_power_kw > 0 then cp.nominal_power_kw / 3.6 end as nominal_wh_per_s,
        s.start_s < getvariable('month_end_s') and s.stop_s >= getvariable('month_start_s') as in_month,
        -- Month bounds are local midnights, so this is "local start in the month" (indicators.md, sessions).
        s.start_s >= getvariable('month_start_s') and s.start_s < getvariable('month_end_s') as starts_in_month,
    from sessions as s
    -- A left join: a session whose charge point is missing still counts, under the unresolved region.
    left join charge_points as cp using (cp_id)
    join regions as r on r.region_key = coalesce(cp.region_code, '')
)

select * from final
