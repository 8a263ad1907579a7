-- Fills sessions.max_power_wh_per_s (006_curve_max_power.sql) for the curves that lack it among those whose ids
-- satisfy the `sessions` placeholder (a condition on session_id, constant text from the code): the highest of
-- (next index - index) / (next instant - instant) over consecutive points at distinct instants, else 0 -- the
-- power int_curve_steps.sql gives each segment.
update sessions
set max_power_wh_per_s = steepest.max_power_wh_per_s
from (
    select session_id, max(power_wh_per_s) as max_power_wh_per_s
    from (
        select
            session_id,
            case when lead(ts_s) over points > ts_s
                then (lead(value_wh) over points - value_wh) / (lead(ts_s) over points - ts_s)
                else 0 end as power_wh_per_s,
        from curve_points
        where {{sessions}}
        window points as (partition by session_id order by ts_s, value_wh)
    )
    group by session_id
) as steepest
where sessions.session_id = steepest.session_id
  and sessions.kind = 'curve'
  and sessions.max_power_wh_per_s is null
