-- Registered charge points in service during the month, per region (null = commune not resolved): commissioned
-- before the month's end, with an unknown commissioning date (the registry leaves it empty for many points), or
-- delivering energy in the month whatever their declared date (a point with energy is in service: coverage never
-- exceeds 100 %). The denominator of coverage_pct (mart_indicators.sql), and what disclosure control checks in the
-- part of the nation that no published region shows (src/privacy/union-check.ts).
create or replace temp table mart_region_registered as
select region_code, count(*) as registered
from charge_points
where in_service_date is null or in_service_date < getvariable('month_end_date')::date
    or cp_id in (select cp_id from month_station_energy where energy_wh > 0)
group by all
