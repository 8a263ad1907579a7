-- The month's cells (privacy.md: a cell = month x geography): the nation and every region, overseas included,
-- whether or not the month has energy there: a row that appeared only with activity would tell that someone
-- charged in a suppressed region (an overseas region may have a single beneficiary). `geo_regions` is loaded
-- from @etalab/decoupage-administratif by src/indicators/geo.ts.
create or replace temp table mart_cells as
with
regions as (
    select 'region' as geo_level, region_code as geo_code, region_name as geo_name, 1 as geo_rank,
    from geo_regions
),

final as (
    select 'national' as geo_level, 'FR' as geo_code, 'France' as geo_name, 0 as geo_rank,
    union all
    select * from regions
)

select * from final order by geo_rank, geo_code
