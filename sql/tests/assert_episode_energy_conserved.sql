-- Conservation per episode (indicators.md, counterfactual): each profile delivers the episode's energy, every
-- session of the month belongs to a known episode, and per region the counterfactual slot energies add up to
-- the profiles' parts inside the month plus the actual energy of the episodes left as actual.
with profiles as (
    select 'profile' as failure, region_idx, episode_id
    from int_episodes
    where cf_duration_s is not null
      and abs(cf_wh_per_s * cf_duration_s - energy_wh) > 1e-6 + 1e-12 * energy_wh
),

orphans as (
    -- Operations only: a curve is its own episode, and int_episodes takes every curve of stg_month_curves by
    -- construction; operations get theirs from the chain rules of int_operation_sessions.sql.
    select 'session without episode' as failure, s.region_idx, s.episode_id
    from int_operation_sessions as s
    anti join int_episodes as e using (episode_id)
    where s.in_month
),

expected as (
    select region_idx, sum(cf_in_month_wh) as wh, count(*) as n
    from int_episodes where in_month and cf_duration_s is not null group by all
    union all
    select s.region_idx, sum(s.in_month_wh), count(*)
    from int_month_session_energy as s
    join int_episodes as e using (episode_id)
    where not e.has_counterfactual
    group by all
),

per_region as (
    select coalesce(r.region_code, '') as region_key, sum(x.wh) as expected_wh, sum(x.n) as n
    from expected as x join stg_month_regions as r using (region_idx) group by all
),

slots as (
    select coalesce(region_code, '') as region_key, sum(cf_energy_wh) as slots_wh, count(*) as slot_rows
    from month_cell_slots group by all
),

totals as (
    select 'counterfactual total' as failure, null::integer as region_idx, null::bigint as episode_id
    from slots full join per_region using (region_key)
    where abs(coalesce(slots_wh, 0) - coalesce(expected_wh, 0))
        > 1e-6 * (coalesce(n, 0) + coalesce(slot_rows, 0)) + 1e-9 * abs(coalesce(expected_wh, 0))
)

select * from profiles
union all select * from orphans
union all select * from totals
