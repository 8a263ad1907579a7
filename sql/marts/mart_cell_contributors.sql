-- Who contributes to each cell (privacy.md primary rule), with the shares of the largest contributors
-- (sql/macros/contributor_stats.sql); a cell without energy has no contributor.
create or replace temp view cell_contributions as
select 'national' as geo_level, 'FR' as geo_code, cp_id, user_id, energy_wh
from month_station_energy where energy_wh > 0
union all
select 'region', region_code, cp_id, user_id, energy_wh
from month_station_energy where energy_wh > 0 and region_code is not null;

create or replace temp table mart_cell_contributors as
with
stats as (
    select * from contributor_stats('cell_contributions')
),

final as (
    select
        cells.geo_level,
        cells.geo_code,
        coalesce(stats.stations, 0) as stations,
        coalesce(stats.beneficiaries, 0) as beneficiaries,
        coalesce(stats.contributed_wh, 0) as contributed_wh,
        stats.top_station_pct,
        stats.top_beneficiary_pct,
        stats.second_station_pct,
        stats.second_beneficiary_pct,
    from mart_cells as cells
    left join stats using (geo_level, geo_code)
)

select * from final;
