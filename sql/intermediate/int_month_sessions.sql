-- Every session of the month's scope, both kinds, for the models that count or check them all: the curves of
-- stg_month_curves.sql and the operations of int_operation_sessions.sql (a view: each kind is stored once).
create or replace temp view int_month_sessions as
select session_id, true as is_curve, start_s, stop_s, energy_wh, region_idx, nominal_wh_per_s,
    max_power_wh_per_s, in_month, starts_in_month,
from stg_month_curves
union all
select session_id, false, start_s, stop_s, energy_wh, region_idx, nominal_wh_per_s,
    null::double, in_month, starts_in_month,
from int_operation_sessions
