-- Energy each (charge point, beneficiary) delivered inside the month, from session-level sums (issue 4):
-- the input of `stations`, `beneficiaries` and the dominance rule. Beneficiary = sessions.user_id.
create or replace table month_station_energy as
with sessions as (
    select cp_id, user_id, region_idx, in_month_wh from int_month_session_energy
),

per_key as (
    -- Grouped on the region key, then the 150,000-odd groups take their region code (issue 4).
    select cp_id, user_id, region_idx, sum(in_month_wh) as energy_wh,
    from sessions
    group by cp_id, user_id, region_idx
),

final as (
    select
        s.cp_id::integer as cp_id,
        s.user_id,
        r.region_code,
        s.energy_wh,
    from per_key as s
    join stg_month_regions as r using (region_idx)
)

select * from final order by cp_id, user_id
