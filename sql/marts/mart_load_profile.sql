-- Load profile per cell, day type and local half-hour (indicators.md "Load profile table"): the mean over the
-- month's occurrences of that local slot. A local slot that occurs twice on the autumn DST day is counted twice;
-- the one skipped in spring is simply absent that day.
create or replace temp table mart_load_profile as
with
slot_rows as (
    select * from mart_cell_slots
),

final as (
    select
        geo_level,
        geo_code,
        day_type,
        local_time,
        count(*) as occurrences,
        fsum(energy_wh) / count(*) / 500 as mean_load_kw,
        fsum(cf_energy_wh) / count(*) / 500 as uncontrolled_mean_load_kw,
        avg(g_per_kwh) as grid_carbon_g_per_kwh,
    from slot_rows
    group by all
)

select * from final
