-- Operations grouped into smart-charging episodes (indicators.md): a chain of operations of one charge point
-- where each gap (previous stop -> next start) is at most episode_gap and the chain spans at most
-- episode_max_span from its first start to its last stop. Islands split by the gap rule are cut greedily by
-- the span rule, in start order; only the rare islands longer than the span need that sequential walk.
create or replace temp table int_operation_sessions as
with operations as (
    select session_id, cp_id, start_s, stop_s from stg_month_sessions where not is_curve
),

gaps as (
    select
        *,
        start_s - lag(stop_s) over (partition by cp_id order by start_s, stop_s, session_id) as gap_s,
    from operations
),

islands as (
    select
        *,
        sum(case when gap_s is null or gap_s > getvariable('episode_gap_s') then 1 else 0 end)
            over (partition by cp_id order by start_s, stop_s, session_id rows unbounded preceding) as island_no,
    from gaps
),

spans as (
    select
        *,
        min(start_s) over (partition by cp_id, island_no) as island_start_s,
        max(stop_s) over (partition by cp_id, island_no) as island_stop_s,
        row_number() over (partition by cp_id, island_no order by start_s, stop_s, session_id) as position,
    from islands
),

long_islands as (
    select cp_id, island_no, position, session_id, start_s, stop_s
    from spans
    where island_stop_s - island_start_s > getvariable('episode_max_span_s')
),

walk as (
    select * from (
        with recursive steps(cp_id, island_no, position, session_id, episode_start_s) as (
            select cp_id, island_no, position, session_id, start_s
            from long_islands where position = 1
            union all
            select o.cp_id, o.island_no, o.position, o.session_id,
                case when o.stop_s - s.episode_start_s > getvariable('episode_max_span_s')
                    then o.start_s else s.episode_start_s end
            from steps as s
            join long_islands as o
              on o.cp_id = s.cp_id and o.island_no = s.island_no and o.position = s.position + 1
        )
        select session_id, episode_start_s from steps
    )
),

assigned as (
    select
        sp.session_id,
        sp.cp_id,
        coalesce(w.episode_start_s, sp.island_start_s) as episode_start_s,
    from spans as sp
    left join walk as w using (session_id)
),

final as (
    select
        session_id,
        -- An episode is named by its smallest session id: stable and unique across curves and operations.
        min(session_id) over (partition by cp_id, episode_start_s) as episode_id,
    from assigned
)

select * from final
