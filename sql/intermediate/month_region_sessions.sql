-- Sessions counted in the month: those whose Europe/Paris local start is in it (indicators.md, sessions),
-- for every region of month_cell_slots (0 when its sessions all started in the previous month).
create or replace table month_region_sessions as
with sessions as (
    select region_idx, count_if(starts_in_month) as sessions
    from int_month_sessions where in_month
    group by region_idx
),

final as (
    select r.region_code, coalesce(s.sessions, 0)::bigint as sessions,
    from int_month_regions as r
    left join sessions as s using (region_idx)
)

select * from final order by region_code nulls first
