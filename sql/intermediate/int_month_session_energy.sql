-- Each session's energy inside the month, from session-level sums (issue 4): curves from their power-step
-- events, operations prorated by the overlap of [start, stop) with the month (uniform power, indicators.md).
create or replace temp table int_month_session_energy as
with sessions as (
    select * from stg_month_sessions where in_month
),

curve_sums as (
    select session_id, in_month_wh, power_left_wh_per_s
    from int_curve_session_sums where with_sums
),

episodes_of_operations as (
    select session_id, episode_id from int_operation_sessions
),

final as (
    select
        s.session_id,
        s.cp_id,
        s.user_id,
        s.region_idx,
        s.is_curve,
        coalesce(e.episode_id, s.session_id) as episode_id,
        s.energy_wh,
        case
            -- A curve inside the month: all of it, R(last) - R(first) (indicators.md).
            when s.is_curve and s.start_s >= getvariable('month_start_s') and s.stop_s <= getvariable('month_end_s')
                then s.energy_wh
            when s.is_curve then c.in_month_wh
            when s.stop_s > s.start_s then s.energy_wh
                * greatest(0, least(s.stop_s, getvariable('month_end_s')) - greatest(s.start_s, getvariable('month_start_s')))
                / (s.stop_s - s.start_s)
            when s.start_s >= getvariable('month_start_s') then s.energy_wh
            else 0
        end as in_month_wh,
        -- Curves with session sums only (int_curve_session_sums), null for the others: the energy their events
        -- put inside the month, and the power left at its end.
        s.start_s >= getvariable('month_start_s') and s.stop_s <= getvariable('month_end_s') as inside_month,
        c.in_month_wh as events_in_month_wh,
        c.power_left_wh_per_s,
    from sessions as s
    left join curve_sums as c using (session_id)
    left join episodes_of_operations as e using (session_id)
)

select * from final
