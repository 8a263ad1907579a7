-- quality.csv (issue 5): what was received, accepted and rejected, by route and rejection code, for the month
-- (sessions whose local start is in the month) and for the whole store (files loaded so far), plus the
-- month's missing-carbon share and national coverage. Counts of sessions and files identify nobody, but the
-- month's received and accepted sessions are the national cell's session count, and the missing-carbon share is
-- one of its values: like the national coverage, they are given only when the national cell is published
-- (privacy.md: a value derivable from published values counts as published).
create or replace temp table report_quality as
with
month_sessions as (
    select route, count(*) as n from sessions
    where start_s >= getvariable('month_start_s') and start_s < getvariable('month_end_s')
    group by all
),

month_rejections as (
    select coalesce(route, 'unknown') as route, code, held, count(*) as n
    from rejections
    where start_s >= getvariable('month_start_s') and start_s < getvariable('month_end_s')
        and resolved_batch_id is null
    group by all
),

month_received as (
    select route, sum(n) as n
    from (select route, n from month_sessions union all select route, n from month_rejections)
    group by all
),

store_batches as (
    -- Retries of held sessions are batches of their original route, not files.
    select route, count(*) as files,
        count(*) filter (where file_error_code is not null) as files_refused,
    from ingest_batches
    where format <> 'held-sessions'
    group by all
),

national as (
    select indicators.missing_carbon_energy_pct, indicators.coverage_pct, mask.suppressed
    from mart_indicators as indicators
    join cell_suppression as mask using (geo_level, geo_code)
    where geo_level = 'national'
),

-- The national cell's own values, and the month's session counts that add up to its sessions: published together.
published_national as (
    select * from national where not suppressed
),

final as (
    select 'month' as scope, 'sessions_received' as metric, route, null::integer as code, n::double as value
    from month_received where not exists (select 1 from national where suppressed)
    union all
    select 'month', 'sessions_accepted', route, null, n from month_sessions where not exists (select 1 from national where suppressed)
    union all
    select 'month', case when held then 'sessions_held' else 'sessions_rejected' end, route, code, n from month_rejections
    union all
    select 'month', 'missing_carbon_energy_pct', null, null, round(coalesce(missing_carbon_energy_pct, 0), 3) from published_national
    union all
    select 'month', 'coverage_pct', null, null, round(coverage_pct, 3) from published_national where coverage_pct is not null
    union all
    -- Files only: the store's session totals equal a month's national counts when the store holds one month,
    -- and minus the published regions give a suppressed cell's (privacy.md); `pipeline status` shows them.
    select 'store', unnest(['files', 'files_refused']), route, null, unnest([files, files_refused])::double
    from store_batches
)

select * from final
