-- Conservation per region: the slot energies of month_cell_slots add up to the sessions' energy inside the
-- month (session-level sums), to 1e-6 Wh per session.
with slots as (
    select coalesce(region_code, '') as region_key, sum(energy_wh) as slots_wh, count(*) as slot_rows
    from month_cell_slots group by all
),

sessions as (
    select coalesce(r.region_code, '') as region_key, sum(s.in_month_wh) as sessions_wh, count(*) as sessions
    from int_month_session_energy as s
    join stg_month_regions as r using (region_idx)
    group by all
)

select region_key, slots_wh, sessions_wh
from slots
full join sessions using (region_key)
where abs(coalesce(slots_wh, 0) - coalesce(sessions_wh, 0))
    > 1e-6 * (coalesce(sessions, 0) + coalesce(slot_rows, 0)) + 1e-9 * abs(coalesce(sessions_wh, 0))
