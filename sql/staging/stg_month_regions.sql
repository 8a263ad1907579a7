-- Small integer keys for the regions (issue 4: integer keys in hot GROUP BYs). Index 0 is the charge points
-- whose commune did not resolve (region_code null).
create or replace temp table stg_month_regions as
with charge_points as (
    select distinct region_code from main.charge_points
),

final as (
    select
        (row_number() over (order by region_code nulls first)
            - case when bool_or(region_code is null) over () then 1 else 0 end)::integer as region_idx,
        region_code,
    from charge_points
)

select * from final
