-- The power steps of the curve points of one shard of sessions (int_curve_aggregates.sql).
-- Between two points of a session the power is constant (linear interpolation of the cumulative index,
-- indicators.md): each point carries the power of the segment it starts (0 for a session's last point), and
-- its step `delta` = that power - the previous point's (0 before a session's first point, since the previous
-- row is then another session's last point). Two points at one instant carry their energy as `direct_wh`.
-- Placeholders filled by the runner with constant text: points (a query), window (a window clause, empty
-- when the points stream in stored (session, time) order).
with neighbours as (
    select
        session_id,
        ts_s,
        value_wh,
        lead(session_id) over ({{window}}) as next_session_id,
        lead(ts_s) over ({{window}}) as next_ts_s,
        lead(value_wh) over ({{window}}) as next_value_wh,
    from ({{points}})
),

segments as (
    select
        session_id,
        ts_s,
        value_wh,
        -- A row out of (session, time) order gets NaN, which poisons the sums of its group: the runner then
        -- redoes the pass with a sorting window (a counted flag would cost one more aggregate per point).
        case when next_session_id = session_id and next_ts_s > ts_s
                then (next_value_wh - value_wh) / (next_ts_s - ts_s)
            when next_session_id < session_id or (next_session_id = session_id and next_ts_s < ts_s)
                then 'NaN'::double
            else 0 end as power_after_wh_per_s,
        case when next_session_id = session_id and next_ts_s = ts_s
            then (next_value_wh - value_wh)::double else 0 end as direct_wh,
    from neighbours
)

select
    session_id,
    ts_s,
    power_after_wh_per_s,
    power_after_wh_per_s - coalesce(lag(power_after_wh_per_s) over ({{window}}), 0) as delta_wh_per_s,
    direct_wh,
from segments
