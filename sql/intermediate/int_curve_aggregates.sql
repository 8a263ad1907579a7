-- Curves -> power-step events -> sums per (region or session, slot), in one pass (issue 4).
-- Energy of slot k = 1800 * (sum of the steps before slot k) + sum over the slot's events of
-- delta * (slot end - t) + direct: the runner rebuilds it with a prefix sum over the small region x slot grid.
-- Events before the month are moved to its first instant (same power inside the month); events at or after
-- its end go to slot -1 and points of sessions outside the scope to slot -2, both unused downstream.
-- Placeholders (double braces) filled by the runner with constant text: target, steps, scope.
create or replace temp table {{target}} as
with steps as (
    -- One int_curve_steps.sql per shard of sessions, glued with union all: each shard's windows stream in
    -- stored order on their own thread, and what follows runs in parallel (issue 4).
    {{steps}}
),

scope as (
    select session_id, region_idx, with_sums, limit_wh_per_s from {{scope}}
),

events as (
    -- A left join, so that rows out of order are counted even among sessions outside the scope.
    select
        st.*,
        sc.session_id is not null as in_scope,
        greatest(st.ts_s, getvariable('month_start_s')) as t_eff_s,
        case
            when sc.session_id is null then -1
            -- One integer grouping key (issue 4: integer keys in hot GROUP BYs): the session id for the
            -- sessions that need session-level sums (whole sessions) or for the rows steeper than the nominal
            -- power allows (for the data test); else -2 - region. Session rows are rolled up to regions after.
            when sc.with_sums or st.power_after_wh_per_s > sc.limit_wh_per_s then st.session_id
            else -2 - sc.region_idx
        end as group_key,
        case
            when sc.session_id is null then -2
            when st.ts_s < getvariable('month_end_s')
                then (greatest(st.ts_s, getvariable('month_start_s')) - getvariable('month_start_s')) // 1800
            else -1
        end as slot_idx,
    from steps as st
    left join scope as sc using (session_id)
),

final as (
    select
        group_key,
        slot_idx,
        sum(delta_wh_per_s) as a_wh_per_s,
        sum(delta_wh_per_s * (getvariable('month_start_s') + (slot_idx + 1) * 1800 - t_eff_s)
            + case when ts_s >= getvariable('month_start_s') then direct_wh else 0 end) as b_wh,
        max(power_after_wh_per_s) as max_power_wh_per_s,
        count_if(out_of_order) as out_of_order_rows,
    from events
    group by group_key, slot_idx
)

select * from final
