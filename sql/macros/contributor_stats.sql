-- Who contributes to each group of a contributions relation (privacy.md primary rule): distinct charge points
-- and beneficiaries with energy, and the shares of the largest and second largest of each (dominance: share or
-- p % rule). One definition for the cells (mart_cell_contributors.sql) and for the union that secondary
-- suppression checks (src/privacy/union-check.ts), so that both are judged on the same figures.
-- `contributions`: the name of a table or view with geo_level, geo_code, cp_id, user_id, energy_wh (> 0).
create or replace temp macro contributor_stats(contributions) as table
with
by_station as (
    select geo_level, geo_code, cp_id, fsum(energy_wh) as energy_wh from query_table(contributions) group by all
),

by_beneficiary as (
    select geo_level, geo_code, user_id, fsum(energy_wh) as energy_wh from query_table(contributions) group by all
),

stations as (
    select geo_level, geo_code, count(*) as stations, fsum(energy_wh) as energy_wh, max(energy_wh, 2) as top_two_wh,
    from by_station group by all
),

beneficiaries as (
    select geo_level, geo_code, count(*) as beneficiaries, max(energy_wh, 2) as top_two_wh,
    from by_beneficiary group by all
)

select
    stations.geo_level,
    stations.geo_code,
    stations.stations,
    beneficiaries.beneficiaries,
    stations.energy_wh as contributed_wh,
    100 * stations.top_two_wh[1] / nullif(stations.energy_wh, 0) as top_station_pct,
    100 * beneficiaries.top_two_wh[1] / nullif(stations.energy_wh, 0) as top_beneficiary_pct,
    100 * coalesce(stations.top_two_wh[2], 0) / nullif(stations.energy_wh, 0) as second_station_pct,
    100 * coalesce(beneficiaries.top_two_wh[2], 0) / nullif(stations.energy_wh, 0) as second_beneficiary_pct,
from stations
join beneficiaries using (geo_level, geo_code);
