-- The previous and next point of each curve point, for one shard of sessions (int_curve_aggregates.sql).
-- Placeholders filled by the runner with constant text: points (a query), window (a window clause).
select
    session_id,
    ts_s,
    value_wh,
    lag(session_id) over ({{window}}) as prev_session_id,
    lag(ts_s) over ({{window}}) as prev_ts_s,
    lag(value_wh) over ({{window}}) as prev_value_wh,
    lead(session_id) over ({{window}}) as next_session_id,
    lead(ts_s) over ({{window}}) as next_ts_s,
    lead(value_wh) over ({{window}}) as next_value_wh,
from ({{points}})
