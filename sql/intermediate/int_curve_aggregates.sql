-- Curves -> power-step events -> sums per (region, slot) and per session, in one pass (issue 4).
-- Between two points of a session the power is constant (linear interpolation of the cumulative index,
-- indicators.md); each point emits the change of power at its instant, `delta = power_after - power_before`.
-- Two points at the same instant with different indices carry their energy as a step (`direct_wh`).
-- Energy of slot k = 1800 * (sum of deltas before slot k) + sum over the slot's events of
-- delta * (slot end - t) + direct: the runner rebuilds it with a prefix sum over the small region x slot grid.
-- Events before the month are moved to its first instant (same power inside the month); events at or after
-- its end go to slot -1, which only the per-session sums use; points of sessions outside the scope to slot -2.
-- Placeholders (double braces) filled by the runner with constant text: target, points, window, scope.
create or replace temp table {{target}} as
with points as (
    {{points}}
),

neighbours as (
    select
        session_id,
        ts_s,
        value_wh,
        lag(session_id) over w as prev_session_id,
        lag(ts_s) over w as prev_ts_s,
        lag(value_wh) over w as prev_value_wh,
        lead(session_id) over w as next_session_id,
        lead(ts_s) over w as next_ts_s,
        lead(value_wh) over w as next_value_wh,
    from points
    window w as ({{window}})
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
    select session_id, region_idx, start_s from {{scope}}
),

events as (
    -- A left join, so that rows out of order are counted even among sessions outside the scope.
    select
        case when sc.session_id is not null then st.session_id end as session_id,
        sc.region_idx,
        sc.session_id is not null as in_scope,
        st.ts_s,
        st.ts_s - sc.start_s as since_start_s,
        st.out_of_order,
        case when sc.session_id is not null then st.power_after_wh_per_s else 0 end as power_after_wh_per_s,
        case when sc.session_id is not null then st.power_after_wh_per_s - st.power_before_wh_per_s else 0 end
            as delta_wh_per_s,
        case when sc.session_id is not null then st.direct_wh else 0 end as direct_wh,
        greatest(st.ts_s, getvariable('month_start_s')) as t_eff_s,
        st.ts_s < getvariable('month_end_s') as before_end,
        st.ts_s >= getvariable('month_start_s') as after_start,
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
        session_id,
        grouping(region_idx, slot_idx, session_id) as grouping_set,
        sum(case when before_end then delta_wh_per_s else 0 end) as a_wh_per_s,
        sum(case when before_end then delta_wh_per_s * (getvariable('month_start_s') + (slot_idx + 1) * 1800 - t_eff_s)
            + case when after_start then direct_wh else 0 end else 0 end) as b_wh,
        sum(case when before_end then delta_wh_per_s * (getvariable('month_end_s') - t_eff_s)
            + case when after_start then direct_wh else 0 end else 0 end) as in_month_wh,
        sum(case when in_scope then direct_wh - delta_wh_per_s * since_start_s else 0 end) as total_wh,
        sum(delta_wh_per_s) as delta_sum_wh_per_s,
        max(power_after_wh_per_s) as max_power_wh_per_s,
        count_if(out_of_order) as out_of_order_rows,
        count_if(in_scope) as point_rows,
    from slotted
    group by grouping sets ((region_idx, slot_idx), (session_id), ())
)

select * from final
