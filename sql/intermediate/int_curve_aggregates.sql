-- Curves -> power-step events -> sums per (region, slot) and per session, in one pass (issue 4).
-- Between two points of a session the power is constant (linear interpolation of the cumulative index,
-- indicators.md); each point emits the change of power at its instant, `delta = power_after - power_before`.
-- Two points at the same instant with different indices carry their energy as a step (`direct_wh`).
-- Energy of slot k = 1800 * (sum of deltas before slot k) + sum over the slot's events of
-- delta * (slot end - t) + direct: the runner rebuilds it with a prefix sum over the small region x slot grid.
-- Events before the month are moved to its first instant (same power inside the month); events at or after
-- its end go to slot -1, which only the per-session sums use; points of sessions outside the scope to slot -2.
-- Placeholders (double braces) filled by the runner with constant text: target, neighbours, scope.
create or replace temp table {{target}} as
with neighbours as (
    -- One int_curve_neighbours.sql per shard of sessions, glued with union all: each shard's window streams
    -- in stored order on its own thread, and what follows runs in parallel (issue 4).
    {{neighbours}}
),

steps as (
    select
        session_id,
        ts_s,
        -- Rows out of (session, time) order: the streaming window is then wrong and the runner redoes the pass.
        (prev_session_id > session_id
            or (prev_session_id = session_id and (prev_ts_s > ts_s or (prev_ts_s = ts_s and prev_value_wh > value_wh))))
            as out_of_order,
        case when next_session_id = session_id and next_ts_s > ts_s
            then (next_value_wh - value_wh) / (next_ts_s - ts_s) else 0 end as power_after_wh_per_s,
        case when prev_session_id = session_id and prev_ts_s < ts_s
            then (value_wh - prev_value_wh) / (ts_s - prev_ts_s) else 0 end as power_before_wh_per_s,
        case when next_session_id = session_id and next_ts_s = ts_s
            then (next_value_wh - value_wh)::double else 0 end as direct_wh,
    from neighbours
),

scope as (
    select session_id, region_idx, start_s, with_sums, limit_wh_per_s from {{scope}}
),

events as (
    -- A left join, so that rows out of order are counted even among sessions outside the scope.
    select
        sc.session_id is not null as in_scope,
        -- Per-session sums only where they are needed (issue 4: session-level sums, not slot rows): the
        -- scope marks the sessions crossing a month bound, those without nominal power, and a sample.
        case when sc.with_sums then st.session_id end as session_key,
        -- Sessions with a segment steeper than the nominal power allows, for the data test.
        case when st.power_after_wh_per_s > sc.limit_wh_per_s then st.session_id end as steep_key,
        sc.region_idx,
        st.out_of_order,
        st.ts_s - sc.start_s as since_start_s,
        case when sc.session_id is not null then st.power_after_wh_per_s else 0 end as power_after_wh_per_s,
        case when sc.session_id is not null then st.power_after_wh_per_s - st.power_before_wh_per_s else 0 end
            as delta_wh_per_s,
        case when sc.session_id is not null and st.ts_s >= getvariable('month_start_s') then st.direct_wh else 0 end
            as direct_in_month_wh,
        case when sc.session_id is not null then st.direct_wh else 0 end as direct_wh,
        greatest(st.ts_s, getvariable('month_start_s')) as t_eff_s,
        st.ts_s < getvariable('month_end_s') as before_end,
    from steps as st
    left join scope as sc using (session_id)
),

slotted as (
    select
        *,
        case
            when not in_scope then -2
            when before_end then (t_eff_s - getvariable('month_start_s')) // 1800
            else -1
        end as slot_idx,
    from events
),

final as (
    select
        region_idx,
        slot_idx,
        session_key as session_id,
        steep_key,
        grouping(region_idx, slot_idx, session_key, steep_key) as grouping_set,
        sum(case when before_end then delta_wh_per_s else 0 end) as a_wh_per_s,
        sum(case when before_end then delta_wh_per_s * (getvariable('month_start_s') + (slot_idx + 1) * 1800 - t_eff_s)
            + direct_in_month_wh else 0 end) as b_wh,
        sum(case when before_end then delta_wh_per_s * (getvariable('month_end_s') - t_eff_s)
            + direct_in_month_wh else 0 end) as in_month_wh,
        sum(case when in_scope then direct_wh - delta_wh_per_s * since_start_s else 0 end) as total_wh,
        sum(delta_wh_per_s) as delta_sum_wh_per_s,
        max(power_after_wh_per_s) as max_power_wh_per_s,
        count_if(out_of_order) as out_of_order_rows,
        count_if(in_scope) as point_rows,
    from slotted
    -- grouping_set 3: (region, slot); 13: one session; 14: one steep session (null keys: everything else).
    group by grouping sets ((region_idx, slot_idx), (session_key), (steep_key))
)

select * from final
