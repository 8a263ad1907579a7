-- load_profile.csv / load_profile.parquet: per cell, day type and local half-hour; a suppressed cell keeps its
-- rows with null values (privacy.md: the mask of a cell applies to every row of its load profile).
create or replace temp table report_load_profile as
with
joined as (
    select profile.*, cells.geo_name, cells.geo_rank, mask.suppressed, mask.suppression_reason
    from mart_load_profile as profile
    join mart_cells as cells using (geo_level, geo_code)
    join cell_suppression as mask using (geo_level, geo_code)
),

final as (
    select
        getvariable('month') as month,
        geo_level,
        geo_code,
        geo_name,
        day_type,
        local_time,
        occurrences::integer as occurrences,
        published(suppressed, mean_load_kw) as mean_load_kw,
        published(suppressed, uncontrolled_mean_load_kw) as uncontrolled_mean_load_kw,
        published(suppressed, grid_carbon_g_per_kwh) as grid_carbon_g_per_kwh,
        suppressed,
        suppression_reason,
        geo_rank,
    from joined
)

select * exclude (geo_rank) from final order by geo_rank, geo_code, day_type, local_time
