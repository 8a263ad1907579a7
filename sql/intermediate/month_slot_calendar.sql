-- Europe/Paris local attributes of each slot of the month, for the windows (peak, off-peak, day types).
-- Offsets are whole hours, so a UTC half-hour is a local half-hour (indicators.md); DST days have 46 or 50 slots.
create or replace table month_slot_calendar as
with slots as (
    select getvariable('month_start_s') + range * 1800 as slot_s
    from range(0, (getvariable('month_end_s') - getvariable('month_start_s')) // 1800)
),

localized as (
    select slot_s, timezone('Europe/Paris', to_timestamp(slot_s)) as local_ts from slots
),

final as (
    select
        slot_s::bigint as slot_s,
        local_ts::date as local_day,
        (hour(local_ts) * 60 + minute(local_ts))::integer as local_minute_of_day,
        isodow(local_ts)::integer as iso_weekday,
    from localized
)

select * from final order by slot_s
