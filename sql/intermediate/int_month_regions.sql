-- The regions of the month (key and code): those with a session with energy in the month, and those that an
-- episode's counterfactual reaches from outside it. One list for month_cell_slots, month_region_sessions and
-- month_region_episodes, so that the three interface tables cover the same regions.
create or replace temp table int_month_regions as
with keys as (
    select region_idx from int_month_sessions where in_month
    union
    select region_idx from int_episodes where in_month
),

final as (
    select k.region_idx, r.region_code
    from keys as k
    join stg_month_regions as r using (region_idx)
)

select * from final
