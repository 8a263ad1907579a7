-- indicators.csv / indicators.parquet: one row per cell, values rounded to 3 decimals (indicators.md
-- "Rounding"), every measured value null in a suppressed cell (privacy.md "How suppression appears").
create or replace temp table report_indicators as
with
joined as (
    select indicators.*, mask.suppressed, mask.suppression_reason
    from mart_indicators as indicators
    join cell_suppression as mask using (geo_level, geo_code)
),

final as (
    select
        getvariable('month') as month,
        geo_level,
        geo_code,
        geo_name,
        to_timestamp(getvariable('month_start_s')) as period_start_at,
        to_timestamp(getvariable('month_end_s')) as period_end_at,
        case when not suppressed then sessions end as sessions,
        case when not suppressed then stations end as stations,
        case when not suppressed then beneficiaries end as beneficiaries,
        published(suppressed, energy_kwh) as energy_kwh,
        published(suppressed, carbon_g_per_kwh) as carbon_g_per_kwh,
        published(suppressed, grid_carbon_g_per_kwh) as grid_carbon_g_per_kwh,
        published(suppressed, carbon_advantage_pct) as carbon_advantage_pct,
        published(suppressed, emissions_kg) as emissions_kg,
        published(suppressed, max_load_kw) as max_load_kw,
        published(suppressed, peak_energy_share_pct) as peak_energy_share_pct,
        published(suppressed, peak_mean_load_kw) as peak_mean_load_kw,
        published(suppressed, offpeak_energy_share_pct) as offpeak_energy_share_pct,
        published(suppressed, uncontrolled_peak_mean_load_kw) as uncontrolled_peak_mean_load_kw,
        published(suppressed, smart_peak_reduction_kw) as smart_peak_reduction_kw,
        published(suppressed, smart_shifted_energy_pct) as smart_shifted_energy_pct,
        published(suppressed, smart_carbon_delta_g_per_kwh) as smart_carbon_delta_g_per_kwh,
        published(suppressed, top_n_coincident_load_kw) as top_n_coincident_load_kw,
        published(suppressed, coverage_pct) as coverage_pct,
        case when not suppressed then episodes end as episodes,
        case when not suppressed then episodes_without_counterfactual end as episodes_without_counterfactual,
        published(suppressed, missing_carbon_energy_pct) as missing_carbon_energy_pct,
        suppressed,
        suppression_reason,
        geo_rank,
    from joined
)

select * exclude (geo_rank) from final order by geo_rank, geo_code
