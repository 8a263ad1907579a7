-- Operations grouped into smart-charging episodes (indicators.md): a chain of operations of one charge point
-- where each gap (previous stop -> next start) is at most episode_gap and the chain spans at most
-- episode_max_span from its first start to its last stop. Islands split by the gap rule are cut greedily by
-- the span rule, in start order; only the rare islands longer than the span need that sequential walk.
-- One sort, then streaming windows over the stored order (issue 4: streaming windows without a sort).
create or replace temp table int_operation_order as
-- Only the columns read downstream: the sort moves every column it carries.
select session_id, cp_id, user_id, start_s, stop_s, energy_wh, region_idx, nominal_wh_per_s, in_month, starts_in_month,
from stg_month_sessions where not is_curve
order by cp_id, start_s, stop_s, session_id;

create or replace temp table int_operation_sessions as
with ordered as (
    select * from int_operation_order
),

flagged as (
    select
        *,
        coalesce(lag(cp_id) over () <> cp_id or start_s - lag(stop_s) over () > getvariable('episode_gap_s'), true)
            as starts_island,
    from ordered
),

islands as (
    select
        *,
        sum(starts_island::integer) over (rows between unbounded preceding and current row) as island_no,
    from flagged
),

long_islands as (
    select island_no from islands
    group by island_no
    having max(stop_s) - min(start_s) > getvariable('episode_max_span_s')
),

long_operations as (
    select
        island_no,
        session_id,
        start_s,
        stop_s,
        row_number() over (partition by island_no order by start_s, stop_s, session_id) as position,
    from islands
    semi join long_islands using (island_no)
),

walk as (
    select * from (
        with recursive steps(island_no, position, session_id, episode_start_s, piece) as (
            select island_no, position, session_id, start_s, 0
            from long_operations where position = 1
            union all
            select o.island_no, o.position, o.session_id,
                case when o.stop_s - s.episode_start_s > getvariable('episode_max_span_s')
                    then o.start_s else s.episode_start_s end,
                case when o.stop_s - s.episode_start_s > getvariable('episode_max_span_s')
                    then s.piece + 1 else s.piece end
            from steps as s
            join long_operations as o on o.island_no = s.island_no and o.position = s.position + 1
        )
        select session_id, piece from steps
    )
),

final as (
    -- Episode ids of operations are negative (curve episodes use their positive session id); an island
    -- holds far fewer than 1024 episodes of up to 24 h within the month's scope. Operations outside the long
    -- islands are episode piece 0; the few in them take their piece from the walk (a union rather than a join
    -- of every operation with the walk, whose size the planner cannot estimate).
    select i.* exclude (starts_island, island_no), -(i.island_no * 1024) as episode_id,
    from islands as i
    anti join long_islands using (island_no)
    union all
    select i.* exclude (starts_island, island_no), -(i.island_no * 1024 + w.piece) as episode_id,
    from (select * from islands semi join long_islands using (island_no)) as i
    join walk as w using (session_id)
)

select * from final;

drop table int_operation_order;
