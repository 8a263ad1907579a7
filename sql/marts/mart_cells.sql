-- The month's cells (privacy.md: a cell = month x geography): the nation, the 13 metropolitan regions always,
-- and any other region (overseas) when the month has energy there. `geo_regions` is loaded from
-- @etalab/decoupage-administratif by src/indicators/geo.ts.
create or replace temp table mart_cells as
with
present as (
    select distinct region_code from month_station_energy where region_code is not null and energy_wh > 0
    union
    select distinct region_code from month_cell_slots where region_code is not null and energy_wh > 0
),

regions as (
    select 'region' as geo_level, region_code as geo_code, region_name as geo_name, 1 as geo_rank,
    from geo_regions
    where metropolitan or region_code in (select region_code from present)
),

final as (
    select 'national' as geo_level, 'FR' as geo_code, 'France' as geo_name, 0 as geo_rank,
    union all
    select * from regions
)

select * from final order by geo_rank, geo_code
