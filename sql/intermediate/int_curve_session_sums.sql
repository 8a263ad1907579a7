-- Session-level sums of the curves keyed by session in int_curve_aggregates: a sample (for the conservation
-- data test) and the sessions crossing a month bound (their energy inside the month).
-- Energy inside the month = sum over its slots k of a_k * (time from the end of slot k to the month end) + b_k,
-- plus the power steps before the month times the month's length.
create or replace temp table int_curve_session_sums as
with keyed as (
    select * from int_curve_aggregates where group_key >= 0
),

final as (
    select
        group_key as session_id,
        sum(case
            when slot_idx < 0 then a_wh_per_s * getvariable('month_slots') * 1800
            when slot_idx < getvariable('month_slots')
                then a_wh_per_s * (getvariable('month_slots') - slot_idx - 1) * 1800 + b_wh
            else 0 end) as in_month_wh,
        sum(case when slot_idx < getvariable('month_slots') then a_wh_per_s else 0 end) as power_left_wh_per_s,
    from keyed
    group by group_key
)

select * from final
