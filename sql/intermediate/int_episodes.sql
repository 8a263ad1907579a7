-- Episodes and their uncontrolled counterfactual (indicators.md): from the episode's first start, deliver its
-- total energy at constant power P until done. P = nominal power, else the highest mean power observed between
-- two consecutive points or over one operation. Without P (and with energy to deliver) the episode is left
-- as actual and counted as "without counterfactual".
create or replace temp table int_episodes as
with curve_episodes as (
    select
        s.session_id as episode_id,
        s.region_idx,
        s.start_s as first_start_s,
        s.stop_s as last_stop_s,
        s.energy_wh,
        1 as sessions,
        s.nominal_wh_per_s,
        -- The steepest segment, stored at ingest (006_curve_max_power.sql).
        s.max_power_wh_per_s as observed_wh_per_s,
    from stg_month_curves as s
),

operation_episodes as (
    select
        episode_id,
        any_value(region_idx) as region_idx,
        min(start_s) as first_start_s,
        max(stop_s) as last_stop_s,
        sum(energy_wh) as energy_wh,
        count(*) as sessions,
        any_value(nominal_wh_per_s) as nominal_wh_per_s,
        max(case when stop_s > start_s then energy_wh / (stop_s - start_s) end) as observed_wh_per_s,
    from int_operation_sessions
    group by episode_id
),

episodes as (
    select * from curve_episodes
    union all
    select * from operation_episodes
),

powered as (
    select
        *,
        coalesce(nominal_wh_per_s, case when observed_wh_per_s > 0 then observed_wh_per_s end) as cf_wh_per_s,
    from episodes
),

final as (
    select
        *,
        energy_wh <= 0 or cf_wh_per_s is not null as has_counterfactual,
        -- A duration, not an end instant: doubles near 1.7e9 s would lose 1e-7 s (1e-6 Wh at 22 kW).
        case when energy_wh > 0 and cf_wh_per_s is not null then energy_wh / cf_wh_per_s end as cf_duration_s,
        first_start_s >= getvariable('month_start_s') and first_start_s < getvariable('month_end_s') as starts_in_month,
    from powered
)

select
    -- Only what the slot models and the data tests read: the table holds every episode (4M at 5M sessions).
    * exclude (last_stop_s, sessions, nominal_wh_per_s, observed_wh_per_s),
    -- The part of the counterfactual profile inside the month (same rule as actual energy).
    -- Times relative to the month start keep the precision (first_start_s is an integer).
    case when cf_duration_s is not null then cf_wh_per_s * greatest(0,
        least((first_start_s - getvariable('month_start_s')) + cf_duration_s,
              getvariable('month_end_s') - getvariable('month_start_s'))
        - greatest(first_start_s - getvariable('month_start_s'), 0))
        else 0 end as cf_in_month_wh,
    first_start_s < getvariable('month_end_s')
        and (last_stop_s >= getvariable('month_start_s')
            or (first_start_s - getvariable('month_start_s')) + cf_duration_s >= 0) as in_month,
from final
