-- Small integer keys for the regions (issue 4: integer keys in hot GROUP BYs). Index 0 is always the
-- "unresolved" region (region_code null): charge points whose commune did not resolve, or that are missing.
create or replace temp table stg_month_regions as
with regions as (
    select null::varchar as region_code
    union
    select distinct region_code from main.charge_points where region_code is not null
),

final as (
    select
        (row_number() over (order by region_code nulls first) - 1)::integer as region_idx,
        region_code,
    from regions
)

select * from final
