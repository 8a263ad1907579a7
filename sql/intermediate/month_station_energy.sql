-- Energy each (charge point, beneficiary) delivered inside the month, from session-level sums (issue 4):
-- the input of `stations`, `beneficiaries` and the dominance rule. Beneficiary = sessions.user_id.
create or replace table month_station_energy as
with sessions as (
    select cp_id, user_id, region_idx, in_month_wh from int_month_session_energy
),

final as (
    select
        s.cp_id::integer as cp_id,
        s.user_id,
        r.region_code,
        sum(s.in_month_wh) as energy_wh,
    from sessions as s
    join stg_month_regions as r using (region_idx)
    group by s.cp_id, s.user_id, r.region_code
)

select * from final order by cp_id, user_id
