-- Curves -> power-step events -> sums per (region or session, slot), in one pass (issue 4).
-- Energy of slot k = 1800 * (sum of the steps before slot k) + sum over the slot's events of
-- delta * (slot end - t) + direct: the runner rebuilds it with a prefix sum over the small region x slot grid.
-- slot_idx counts slots from the month start: negative before it (only their steps matter: the power they
-- carry into the month), >= the month's slot count after it (unused).
-- Each aggregate costs about 1 CPU s per 54M points (issue 4), so the pass keeps the two sums only; the
-- steepest power of each curve is stored at ingest (006_curve_max_power.sql).
-- Placeholders (double braces) filled by the runner with constant text: target, steps, scope.
create or replace temp table {{target}} as
with steps as (
    -- One int_curve_steps.sql per shard of sessions, glued with union all: each shard's windows stream in
    -- stored order on their own thread, and what follows runs in parallel (issue 4).
    {{steps}}
),

events as (
    -- A left join, so that rows out of order (NaN) are caught even among sessions outside the scope.
    select
        -- One integer grouping key (issue 4: integer keys in hot GROUP BYs), chosen once per session in the
        -- scope: the session id for the sessions that need session-level sums (rolled up into their region
        -- after), else -2 - region; null outside the scope.
        sc.group_key,
        st.delta_wh_per_s,
        st.direct_wh,
        -- Slots counted from a distant origin, so that integer division floors for instants before the month.
        (st.ts_s - getvariable('slot_origin_s')) // 1800 as origin_slot,
        (st.ts_s - getvariable('slot_origin_s')) % 1800 as into_slot_s,
    from steps as st
    left join {{scope}} as sc using (session_id)
),

final as (
    select
        group_key,
        origin_slot - getvariable('origin_slot_offset') as slot_idx,
        sum(delta_wh_per_s) as a_wh_per_s,
        sum(delta_wh_per_s * (1800 - into_slot_s) + direct_wh) as b_wh,
    from events
    group by group_key, origin_slot
)

select * from final
