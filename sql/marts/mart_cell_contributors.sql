-- Who contributes to each cell (privacy.md primary rule): distinct charge points and beneficiaries with energy
-- in the month, and the shares of the largest and second largest of each (dominance: share or p % rule).
create or replace temp table mart_cell_contributors as
with
contributions as (
    select 'national' as geo_level, 'FR' as geo_code, cp_id, user_id, energy_wh
    from month_station_energy where energy_wh > 0
    union all
    select 'region', region_code, cp_id, user_id, energy_wh
    from month_station_energy where energy_wh > 0 and region_code is not null
),

by_station as (
    select geo_level, geo_code, cp_id, fsum(energy_wh) as energy_wh from contributions group by all
),

by_beneficiary as (
    select geo_level, geo_code, user_id, fsum(energy_wh) as energy_wh from contributions group by all
),

stations as (
    select geo_level, geo_code, count(*) as stations, fsum(energy_wh) as energy_wh,
        max(energy_wh, 2) as top_two_wh,
    from by_station group by all
),

beneficiaries as (
    select geo_level, geo_code, count(*) as beneficiaries, max(energy_wh, 2) as top_two_wh,
    from by_beneficiary group by all
),

final as (
    select
        cells.geo_level,
        cells.geo_code,
        coalesce(stations.stations, 0) as stations,
        coalesce(beneficiaries.beneficiaries, 0) as beneficiaries,
        coalesce(stations.energy_wh, 0) as contributed_wh,
        100 * stations.top_two_wh[1] / nullif(stations.energy_wh, 0) as top_station_pct,
        100 * beneficiaries.top_two_wh[1] / nullif(stations.energy_wh, 0) as top_beneficiary_pct,
        100 * coalesce(stations.top_two_wh[2], 0) / nullif(stations.energy_wh, 0) as second_station_pct,
        100 * coalesce(beneficiaries.top_two_wh[2], 0) / nullif(stations.energy_wh, 0) as second_beneficiary_pct,
    from mart_cells as cells
    left join stations using (geo_level, geo_code)
    left join beneficiaries using (geo_level, geo_code)
)

select * from final
