-- Session-level sums of the curves keyed by session in int_curve_aggregates (a sample, the sessions crossing a
-- month bound or without nominal power, and the rows steeper than the nominal power). `with_sums`: complete
-- sums (energy inside the month, power left at its end, steepest segment); the others only carry their steep
-- rows, which is all the nominal-power data test needs.
-- Energy inside the month = sum over its slots k of a_k * (time from the end of slot k to the month end) + b_k,
-- plus the power steps before the month times the month's length.
create or replace temp table int_curve_session_sums as
with keyed as (
    select * from int_curve_aggregates where group_key >= 0
),

scope as (
    select session_id, with_sums from stg_curve_scope
),

final as (
    select
        k.group_key as session_id,
        any_value(s.with_sums) as with_sums,
        sum(case
            when k.slot_idx < 0 then k.a_wh_per_s * getvariable('month_slots') * 1800
            when k.slot_idx < getvariable('month_slots')
                then k.a_wh_per_s * (getvariable('month_slots') - k.slot_idx - 1) * 1800 + k.b_wh
            else 0 end) as in_month_wh,
        sum(case when k.slot_idx < getvariable('month_slots') then k.a_wh_per_s else 0 end) as power_left_wh_per_s,
        max(k.max_power_wh_per_s) as max_power_wh_per_s,
    from keyed as k
    join scope as s on s.session_id = k.group_key
    group by k.group_key
)

select * from final
