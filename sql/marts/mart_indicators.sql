-- Every indicator of a cell, unrounded and before disclosure control (indicators.md "Indicators per cell").
-- Sums of doubles use fsum (Kahan-Babuska): more accurate, and far less sensitive to the order in which
-- threads add rows, which keeps the rounded outputs byte-identical between runs.
-- Sums over slots without intensity leave those slots out of the carbon ratios; their share of the energy is
-- missing_carbon_energy_pct (refused above maxMissingCarbonPct by src/indicators/carbon-kind.ts).
create or replace temp table mart_indicators as
with
slot_rows as (
    select * from mart_cell_slots
),

month_calendar as (
    select
        count(*) filter (where is_peak) as peak_slots,
        avg(g_per_kwh) as grid_carbon_g_per_kwh,
        count(*) filter (where is_top_n) as top_n_slots,
    from mart_month_calendar
),

sums as (
    select
        geo_level,
        geo_code,
        fsum(energy_wh) as energy_wh,
        fsum(energy_wh) filter (where g_per_kwh is not null) as carbon_known_wh,
        fsum(energy_wh * g_per_kwh) as energy_carbon_wh_g,
        fsum(cf_energy_wh) filter (where g_per_kwh is not null) as cf_carbon_known_wh,
        fsum(cf_energy_wh * g_per_kwh) as cf_energy_carbon_wh_g,
        max(energy_wh) as max_slot_wh,
        coalesce(fsum(energy_wh) filter (where is_peak), 0) as peak_wh,
        coalesce(fsum(cf_energy_wh) filter (where is_peak), 0) as cf_peak_wh,
        coalesce(fsum(energy_wh) filter (where is_offpeak), 0) as offpeak_wh,
        fsum(greatest(0, cf_energy_wh - energy_wh)) as shifted_wh,
        avg(energy_wh) filter (where is_top_n) as top_n_mean_wh,
    from slot_rows
    group by all
),

sessions as (
    select 'national' as geo_level, 'FR' as geo_code, sum(sessions) as sessions from month_region_sessions
    union all
    select 'region', region_code, sum(sessions) from month_region_sessions where region_code is not null group by all
),

episodes as (
    select 'national' as geo_level, 'FR' as geo_code,
        sum(episodes) as episodes, sum(episodes_without_counterfactual) as episodes_without_counterfactual,
    from month_region_episodes
    union all
    select 'region', region_code, sum(episodes), sum(episodes_without_counterfactual)
    from month_region_episodes where region_code is not null group by all
),

-- Registered charge points in service during the month (mart_region_registered.sql).
registered as (
    select 'national' as geo_level, 'FR' as geo_code, sum(registered) as registered from mart_region_registered
    union all
    select 'region', region_code, registered from mart_region_registered where region_code is not null
),

ratios as (
    select
        cells.geo_level,
        cells.geo_code,
        cells.geo_name,
        cells.geo_rank,
        coalesce(sessions.sessions, 0)::bigint as sessions,
        contributors.stations,
        contributors.beneficiaries,
        sums.energy_wh / 1000 as energy_kwh,
        sums.energy_carbon_wh_g / nullif(sums.carbon_known_wh, 0) as carbon_g_per_kwh,
        month_calendar.grid_carbon_g_per_kwh,
        sums.energy_carbon_wh_g / 1e6 as emissions_kg,
        sums.max_slot_wh / 500 as max_load_kw,
        100 * sums.peak_wh / nullif(sums.energy_wh, 0) as peak_energy_share_pct,
        sums.peak_wh / (500 * nullif(month_calendar.peak_slots, 0)) as peak_mean_load_kw,
        100 * sums.offpeak_wh / nullif(sums.energy_wh, 0) as offpeak_energy_share_pct,
        sums.cf_peak_wh / (500 * nullif(month_calendar.peak_slots, 0)) as uncontrolled_peak_mean_load_kw,
        100 * sums.shifted_wh / nullif(sums.energy_wh, 0) as smart_shifted_energy_pct,
        sums.cf_energy_carbon_wh_g / nullif(sums.cf_carbon_known_wh, 0) as cf_carbon_g_per_kwh,
        case when month_calendar.top_n_slots > 0 then sums.top_n_mean_wh / 500 end as top_n_coincident_load_kw,
        100 * contributors.stations / nullif(registered.registered, 0) as coverage_pct,
        coalesce(episodes.episodes, 0)::bigint as episodes,
        coalesce(episodes.episodes_without_counterfactual, 0)::bigint as episodes_without_counterfactual,
        100 * (sums.energy_wh - coalesce(sums.carbon_known_wh, 0)) / nullif(sums.energy_wh, 0) as missing_carbon_energy_pct,
    from mart_cells as cells
    cross join month_calendar
    join sums using (geo_level, geo_code)
    join mart_cell_contributors as contributors using (geo_level, geo_code)
    left join sessions using (geo_level, geo_code)
    left join episodes using (geo_level, geo_code)
    left join registered using (geo_level, geo_code)
),

final as (
    select
        * exclude (cf_carbon_g_per_kwh),
        100 * (1 - carbon_g_per_kwh / nullif(grid_carbon_g_per_kwh, 0)) as carbon_advantage_pct,
        uncontrolled_peak_mean_load_kw - peak_mean_load_kw as smart_peak_reduction_kw,
        cf_carbon_g_per_kwh - carbon_g_per_kwh as smart_carbon_delta_g_per_kwh,
    from ratios
)

select * from final
