-- The curve sessions of stg_month_sessions, materialized once: the curve pass reads their region key and
-- point counts, the episodes and the in-month energies their attributes (int_curve_aggregates.sql,
-- int_episodes.sql, int_month_session_energy.sql).
create or replace temp table stg_month_curves as
select * exclude (is_curve)
from stg_month_sessions
where is_curve
