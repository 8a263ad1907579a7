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
        case when not suppressed then round(energy_kwh, 3) end as energy_kwh,
        case when not suppressed then round(carbon_g_per_kwh, 3) end as carbon_g_per_kwh,
        case when not suppressed then round(grid_carbon_g_per_kwh, 3) end as grid_carbon_g_per_kwh,
        case when not suppressed then round(carbon_advantage_pct, 3) end as carbon_advantage_pct,
        case when not suppressed then round(emissions_kg, 3) end as emissions_kg,
        case when not suppressed then round(max_load_kw, 3) end as max_load_kw,
        case when not suppressed then round(peak_energy_share_pct, 3) end as peak_energy_share_pct,
        case when not suppressed then round(peak_mean_load_kw, 3) end as peak_mean_load_kw,
        case when not suppressed then round(offpeak_energy_share_pct, 3) end as offpeak_energy_share_pct,
        case when not suppressed then round(uncontrolled_peak_mean_load_kw, 3) end as uncontrolled_peak_mean_load_kw,
        case when not suppressed then round(smart_peak_reduction_kw, 3) end as smart_peak_reduction_kw,
        case when not suppressed then round(smart_shifted_energy_pct, 3) end as smart_shifted_energy_pct,
        case when not suppressed then round(smart_carbon_delta_g_per_kwh, 3) end as smart_carbon_delta_g_per_kwh,
        case when not suppressed then round(top_n_coincident_load_kw, 3) end as top_n_coincident_load_kw,
        case when not suppressed then round(coverage_pct, 3) end as coverage_pct,
        case when not suppressed then episodes end as episodes,
        case when not suppressed then episodes_without_counterfactual end as episodes_without_counterfactual,
        case when not suppressed then round(missing_carbon_energy_pct, 3) end as missing_carbon_energy_pct,
        suppressed,
        suppression_reason,
        geo_rank,
    from joined
)

select * exclude (geo_rank) from final order by geo_rank, geo_code
