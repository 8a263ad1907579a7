-- Episodes counted in the month (first start in it, like sessions) and those without counterfactual
-- (P unknown while there is energy to deliver; indicators.md), for every region of month_cell_slots.
create or replace table month_region_episodes as
with regions as (
    select region_idx, region_code from int_month_regions
),

episodes as (
    -- Counted per region key first: 4M episodes grouped on a small integer, then 19 rows joined (issue 4).
    select region_idx, count(*) as episodes, count_if(not has_counterfactual) as without_cf,
    from int_episodes where starts_in_month
    group by region_idx
),

final as (
    select
        r.region_code,
        sum(coalesce(e.episodes, 0))::bigint as episodes,
        sum(coalesce(e.without_cf, 0))::bigint as episodes_without_counterfactual,
    from regions as r
    left join episodes as e using (region_idx)
    group by r.region_code
)

select * from final order by region_code nulls first
