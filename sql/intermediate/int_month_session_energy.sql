-- Each session's energy inside the month, from session-level sums (issue 4): curves from their power-step
-- events, operations prorated by the overlap of [start, stop) with the month (uniform power, indicators.md).
-- A view, not a table: its four readers (month_station_energy and three data tests) recompute it for less than
-- writing its 5M rows costs (issue 4: 1.0 CPU s for the table, 0.4 CPU s more in the readers).
create or replace temp view int_month_session_energy as
with curves as (
    select * from stg_month_curves where in_month
),

operations as (
    select * from int_operation_sessions where in_month
),

curve_sums as (
    select session_id, in_month_wh, power_left_wh_per_s
    from int_curve_session_sums
),

curve_energy as (
    select
        s.session_id,
        s.cp_id,
        s.user_id,
        s.region_idx,
        true as is_curve,
        s.session_id as episode_id,
        s.energy_wh,
        s.start_s >= getvariable('month_start_s') and s.stop_s <= getvariable('month_end_s') as inside_month,
        -- A curve inside the month: all of it, R(last) - R(first) (indicators.md); else its events' part,
        -- rounded to 1e-6 Wh like the slots: that part is a sum of power steps in thread order, and a curve that
        -- stopped charging before the month would otherwise hold a few 1e-10 Wh of either sign there, i.e.
        -- count as a station or a beneficiary with energy, or not, from one run to the next.
        case when s.start_s >= getvariable('month_start_s') and s.stop_s <= getvariable('month_end_s')
            then s.energy_wh else round(c.in_month_wh, 6) + 0.0 end as in_month_wh,
        -- Null for curves without session sums: the energy their events put inside the month, the power left.
        c.in_month_wh as events_in_month_wh,
        c.power_left_wh_per_s,
    from curves as s
    left join curve_sums as c using (session_id)
),

operation_energy as (
    select
        session_id,
        cp_id,
        user_id,
        region_idx,
        false as is_curve,
        episode_id,
        energy_wh,
        start_s >= getvariable('month_start_s') and stop_s <= getvariable('month_end_s') as inside_month,
        case
            when stop_s > start_s then energy_wh
                * greatest(0, least(stop_s, getvariable('month_end_s')) - greatest(start_s, getvariable('month_start_s')))
                / (stop_s - start_s)
            when start_s >= getvariable('month_start_s') then energy_wh
            else 0
        end as in_month_wh,
        null::double as events_in_month_wh,
        null::double as power_left_wh_per_s,
    from operations
)

select * from curve_energy
union all
select * from operation_energy
