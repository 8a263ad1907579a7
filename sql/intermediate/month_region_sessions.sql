-- Sessions counted in the month: those whose Europe/Paris local start is in it (indicators.md, sessions),
-- for every region of month_cell_slots (0 when its sessions all started in the previous month).
create or replace table month_region_sessions as
with sessions as (
    select region_idx, starts_in_month from stg_month_sessions where in_month
),

final as (
    select r.region_code, count_if(s.starts_in_month)::bigint as sessions,
    from sessions as s
    join stg_month_regions as r using (region_idx)
    group by r.region_code
)

select * from final order by region_code nulls first
