-- Slot sums per (region, slot) of every power-step event, actual and counterfactual (issue 4).
-- Operations are two events (uniform power) or, when they last 0 s, their energy at their start.
-- The counterfactual is the episodes' constant-power profiles plus, as actual, the sessions of the episodes
-- without counterfactual (indicators.md). Curves come already summed from int_curve_aggregates.
create or replace temp table int_month_slot_sums as
with operations as (
    select
        region_idx,
        episode_id,
        start_s,
        stop_s,
        case when stop_s > start_s then energy_wh / (stop_s - start_s) else 0 end as power_wh_per_s,
        case when stop_s = start_s then energy_wh else 0 end as direct_wh,
    from int_operation_sessions
    where in_month
),

-- Not materialized: read twice (actual, and the rare episodes left as actual), it would be copied whole.
operation_events as not materialized (
    select region_idx, episode_id, (start_s - getvariable('month_start_s'))::double as t_rel_s,
        power_wh_per_s as delta_wh_per_s, direct_wh
    from operations
    union all
    select region_idx, episode_id, (stop_s - getvariable('month_start_s'))::double, -power_wh_per_s, 0
    from operations where stop_s > start_s
),

-- Operations of the (rare) episodes without counterfactual count as actual in Ecf too.
episodes_left_as_actual as (
    select episode_id from int_episodes where not has_counterfactual
),

counterfactual_events as (
    select region_idx, (first_start_s - getvariable('month_start_s'))::double as t_rel_s, cf_wh_per_s as delta_wh_per_s
    from int_episodes where in_month and cf_duration_s is not null
    union all
    select region_idx, (first_start_s - getvariable('month_start_s')) + cf_duration_s, -cf_wh_per_s
    from int_episodes where in_month and cf_duration_s is not null
),

events as (
    select region_idx, t_rel_s, delta_wh_per_s as act_delta, direct_wh as act_direct, 0.0 as cf_delta, 0.0 as cf_direct,
    from operation_events
    union all
    select region_idx, t_rel_s, 0, 0, delta_wh_per_s, direct_wh
    from operation_events semi join episodes_left_as_actual using (episode_id)
    union all
    select region_idx, t_rel_s, 0, 0, delta_wh_per_s, 0 from counterfactual_events
),

slotted as (
    select
        *,
        -- Relative to the month start; events before it go to slot -1, where only their power step matters.
        case when t_rel_s < 0 then -1 else floor(t_rel_s / 1800)::bigint end as slot_idx,
        t_rel_s >= 0 as after_start,
    from events
    where t_rel_s < getvariable('month_end_s') - getvariable('month_start_s')
),

event_sums as (
    select
        region_idx,
        slot_idx,
        sum(act_delta) as a_wh_per_s,
        sum(case when after_start then act_delta * ((slot_idx + 1) * 1800 - t_rel_s) + act_direct else 0 end) as b_wh,
        sum(cf_delta) as cf_a_wh_per_s,
        sum(case when after_start then cf_delta * ((slot_idx + 1) * 1800 - t_rel_s) + cf_direct else 0 end) as cf_b_wh,
    from slotted
    group by region_idx, slot_idx
),

curve_sums as (
    -- int_curve_aggregates keys regions as -2 - region_idx, and some sessions by their id (rolled up here);
    -- its slots before the month fold into slot -1 (their power steps only), those after it are dropped.
    select -2 - group_key as region_idx, greatest(slot_idx, -1) as slot_idx, a_wh_per_s,
        case when slot_idx >= 0 then b_wh else 0 end as b_wh, 0.0 as cf_a_wh_per_s, 0.0 as cf_b_wh
    from int_curve_aggregates where group_key <= -2 and slot_idx < getvariable('month_slots')
    union all
    select s.region_idx, greatest(c.slot_idx, -1), c.a_wh_per_s, case when c.slot_idx >= 0 then c.b_wh else 0 end, 0.0, 0.0
    from int_curve_aggregates as c
    join stg_month_curves as s on s.session_id = c.group_key
    where c.group_key >= 0 and c.slot_idx < getvariable('month_slots')
    union all
    -- Curves of episodes without counterfactual: their actual profile also goes to the counterfactual.
    select -2 - group_key, greatest(slot_idx, -1), 0.0, 0.0, a_wh_per_s, case when slot_idx >= 0 then b_wh else 0 end
    from int_curve_fallback_aggregates where group_key <= -2 and slot_idx < getvariable('month_slots')
),

final as (
    select region_idx, slot_idx, sum(a_wh_per_s) as a_wh_per_s, sum(b_wh) as b_wh,
        sum(cf_a_wh_per_s) as cf_a_wh_per_s, sum(cf_b_wh) as cf_b_wh,
    from (select * from event_sums union all select * from curve_sums)
    group by region_idx, slot_idx
)

select * from final
