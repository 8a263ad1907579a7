-- One row per half-hour slot of the month (indicators.md "Time"): its Europe/Paris local time, day type,
-- peak/off-peak membership, carbon intensity I(s) of the configured kind (null = missing) and, when some grid
-- series has national consumption, whether the slot is one of the month's top-N consumption slots.
-- Parameters are DuckDB variables set by src/indicators/month-variables.ts.
create or replace temp table mart_month_calendar as
with
slots as (
    select range as slot_s
    from range(getvariable('month_start_s')::bigint, getvariable('month_end_s')::bigint, 1800)
),

carbon as (
    select slot_s, g_per_kwh
    from carbon_slots
    where kind = getvariable('carbon_kind')
        and slot_s >= getvariable('month_start_s') and slot_s < getvariable('month_end_s')
),

-- Consumption from the configured kind first, else from any other series that has it for the slot.
-- The month's top-N slots are known only when every slot of the month has one: a partial series would rank
-- whichever few slots it covers (a night-time hour, say) as the month's peak.
consumption as (
    select slot_s, first(consumption_mw order by kind <> getvariable('carbon_kind'), kind) as consumption_mw
    from carbon_slots
    where consumption_mw is not null
        and slot_s >= getvariable('month_start_s') and slot_s < getvariable('month_end_s')
    group by slot_s
),

local_slots as (
    select
        slots.slot_s,
        timezone('Europe/Paris', to_timestamp(slots.slot_s)) as local_at,
    from slots
),

windows as (
    select
        slot_s,
        local_at,
        hour(local_at) * 60 + minute(local_at) as local_minute,
        isodow(local_at) as iso_weekday,
    from local_slots
),

flagged as (
    select
        windows.*,
        local_at::time as local_time,
        case when iso_weekday >= 6 then 'weekend' else 'weekday' end as day_type,
        -- A window whose end is not after its start wraps past midnight (off-peak 23:00-07:00); its weekdays are
        -- those of the slot's own local start.
        ((getvariable('peak_weekdays_mask') >> iso_weekday) & 1 = 1) and (
            case when getvariable('peak_start_min') < getvariable('peak_end_min')
                then local_minute >= getvariable('peak_start_min') and local_minute < getvariable('peak_end_min')
                else local_minute >= getvariable('peak_start_min') or local_minute < getvariable('peak_end_min') end
        ) as is_peak,
        ((getvariable('offpeak_weekdays_mask') >> iso_weekday) & 1 = 1) and (
            case when getvariable('offpeak_start_min') < getvariable('offpeak_end_min')
                then local_minute >= getvariable('offpeak_start_min') and local_minute < getvariable('offpeak_end_min')
                else local_minute >= getvariable('offpeak_start_min') or local_minute < getvariable('offpeak_end_min') end
        ) as is_offpeak,
    from windows
),

final as (
    select
        flagged.*,
        carbon.g_per_kwh,
        consumption.consumption_mw,
        consumption.consumption_mw is not null
            and (select count(*) from consumption) = (select count(*) from slots)
            and row_number() over (
                order by consumption.consumption_mw is null, consumption.consumption_mw desc, flagged.slot_s
            ) <= getvariable('top_n') as is_top_n,
    from flagged
    left join carbon using (slot_s)
    left join consumption using (slot_s)
)

select * from final order by slot_s
