-- No session puts more energy in one slot than its charge point's nominal power allows over 30 min, with a
-- tolerance of `nominal_tolerance_pct` % plus 1 Wh (indices are whole Wh). Operations: exact (uniform power
-- times their largest overlap with one slot). Curves: only sessions whose steepest segment exceeds the limit
-- can fail; their slot energies are recomputed independently by interpolating the index at the slot bounds.
-- `limits` is inlined in each use: materialized (the default for a CTE read twice), it held every session of
-- the month and the filters of each use could not reach the scan (issue 4: 0.8 CPU s at 5M sessions).
with limits as not materialized (
    select s.session_id, s.is_curve, s.start_s, s.stop_s, s.energy_wh, s.max_power_wh_per_s,
        s.nominal_wh_per_s * (1 + getvariable('nominal_tolerance_pct') / 100) as limit_wh_per_s,
        s.nominal_wh_per_s * 1800 * (1 + getvariable('nominal_tolerance_pct') / 100) + 1 as limit_wh,
        s.nominal_wh_per_s * (1 + getvariable('nominal_tolerance_pct') / 100) as limit_wh_per_s,
    from int_month_sessions as s
    where s.in_month and s.nominal_wh_per_s is not null
),

operations as (
    select session_id, limit_wh,
        case
            when stop_s = start_s then energy_wh
            else energy_wh / (stop_s - start_s) * case
                when stop_s <= (start_s // 1800 + 1) * 1800 then stop_s - start_s
                else greatest((start_s // 1800 + 1) * 1800 - start_s, stop_s - (stop_s // 1800) * 1800,
                    case when (stop_s // 1800) * 1800 - (start_s // 1800 + 1) * 1800 >= 1800 then 1800 else 0 end)
            end
        end as max_slot_wh,
    from limits
    -- Only an operation of no (or negative) duration, or whose power over a whole slot exceeds the limit, can
    -- fail (its largest slot overlap is at most 1800 s): the cheap filter skips the exact check for the others.
    where not is_curve and (stop_s <= start_s or energy_wh / (stop_s - start_s) * 1800 > limit_wh)
),

candidates as (
    select l.session_id, l.start_s, l.stop_s, l.limit_wh
    from limits as l
    -- Curves with a segment steeper than the limit (their stored steepest power, 006_curve_max_power.sql).
    where l.is_curve and l.max_power_wh_per_s > l.limit_wh_per_s
),

points as (
    select session_id, ts_s, value_wh from main.curve_points semi join candidates using (session_id)
),

slots as (
    select session_id, limit_wh, start_s, stop_s, unnest(range((start_s // 1800) * 1800, stop_s, 1800)) as slot_s
    from candidates
),

bounds as (
    select session_id, slot_s, limit_wh, 'lo' as side, greatest(slot_s, start_s) as t_s from slots
    union all
    select session_id, slot_s, limit_wh, 'hi', least(slot_s + 1800, stop_s) from slots
),

indexed as (
    select b.*,
        case when n.ts_s is null or p.ts_s = b.t_s then p.value_wh
            else p.value_wh + (n.value_wh - p.value_wh) * (b.t_s - p.ts_s) / (n.ts_s - p.ts_s) end as index_wh,
    from bounds as b
    asof join points as p on b.session_id = p.session_id and b.t_s >= p.ts_s
    asof left join points as n on b.session_id = n.session_id and b.t_s < n.ts_s
),

curve_slots as (
    select session_id, slot_s, any_value(limit_wh) as limit_wh,
        max(case when side = 'hi' then index_wh end) - max(case when side = 'lo' then index_wh end) as slot_wh,
    from indexed group by session_id, slot_s
)

select session_id, null::bigint as slot_s, max_slot_wh as slot_wh, limit_wh from operations where max_slot_wh > limit_wh
union all
select session_id, slot_s, slot_wh, limit_wh from curve_slots where slot_wh > limit_wh
