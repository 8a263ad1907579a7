-- E(s) and Ecf(s) per cell and slot, dense over the month's slots (indicators.md), with each slot's calendar
-- attributes (local time, windows, I(s)) so that the indicator and load-profile marts read one table. The nation
-- sums every region plus the charge points whose region did not resolve (region_code null counts nationally only).
create or replace temp table mart_cell_slots as
with
month_rows as (
    select region_code, slot_s, energy_wh, cf_energy_wh
    from month_cell_slots
    where slot_s >= getvariable('month_start_s') and slot_s < getvariable('month_end_s')
),

by_cell as (
    select 'region' as geo_level, region_code as geo_code, slot_s,
        fsum(energy_wh) as energy_wh, fsum(cf_energy_wh) as cf_energy_wh,
    from month_rows
    where region_code is not null
    group by all
    union all
    select 'national', 'FR', slot_s, fsum(energy_wh), fsum(cf_energy_wh)
    from month_rows
    group by all
),

final as (
    select
        cells.geo_level,
        cells.geo_code,
        coalesce(by_cell.energy_wh, 0) as energy_wh,
        coalesce(by_cell.cf_energy_wh, 0) as cf_energy_wh,
        calendar.*,
    from mart_cells as cells
    cross join mart_month_calendar as calendar
    left join by_cell
        on by_cell.geo_level = cells.geo_level and by_cell.geo_code = cells.geo_code and by_cell.slot_s = calendar.slot_s
)

select * from final order by geo_level, geo_code, slot_s
