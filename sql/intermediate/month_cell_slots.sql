-- E(s) and Ecf(s) per region and half-hour slot, dense over the month (interface to the indicators).
-- Energy of slot k = 1800 s * (power carried in from earlier slots) + the slot's own part (int_month_slot_sums).
-- Values are rounded to 1e-6 Wh so that the order of floating-point sums cannot change a published digit.
create or replace table month_cell_slots as
with regions as (
    select region_idx, region_code from int_month_regions
),

slots as (
    -- Slot -1 holds the power steps made before the month (int_month_slot_sums).
    select range as slot_idx from range(-1, getvariable('month_slots'))
),

grid as (
    select r.region_idx, r.region_code, s.slot_idx,
        coalesce(m.a_wh_per_s, 0) as a_wh_per_s, coalesce(m.b_wh, 0) as b_wh,
        coalesce(m.cf_a_wh_per_s, 0) as cf_a_wh_per_s, coalesce(m.cf_b_wh, 0) as cf_b_wh,
    from regions as r
    cross join slots as s
    left join int_month_slot_sums as m using (region_idx, slot_idx)
),

rebuilt as (
    select
        region_code,
        getvariable('month_start_s') + slot_idx * 1800 as slot_s,
        1800 * coalesce(sum(a_wh_per_s) over carried, 0) + b_wh as energy_wh,
        1800 * coalesce(sum(cf_a_wh_per_s) over carried, 0) + cf_b_wh as cf_energy_wh,
    from grid
    window carried as (partition by region_idx order by slot_idx rows between unbounded preceding and 1 preceding)
    qualify slot_idx >= 0
),

final as (
    select
        region_code,
        slot_s::bigint as slot_s,
        round(energy_wh, 6) + 0.0 as energy_wh,
        round(cf_energy_wh, 6) + 0.0 as cf_energy_wh,
    from rebuilt
)

select * from final order by region_code nulls first, slot_s
