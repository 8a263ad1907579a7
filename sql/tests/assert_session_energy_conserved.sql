-- Conservation per session (indicators.md): a curve's power-step events add up to its energy (to 1e-6 Wh)
-- for every curve with session sums (all of them up to 100,000 curves in the month; beyond, those crossing a
-- month bound or without nominal power and a regular sample, see curve-passes.ts)
-- and to zero power; no session has more energy inside the month than in total, nor less than zero.
select session_id, energy_wh, events_total_wh, in_month_wh
from int_month_session_energy
where (is_curve and events_total_wh is not null and (abs(events_total_wh - energy_wh) > 1e-6 + 1e-12 * energy_wh
        or abs(delta_sum_wh_per_s) > 1e-9))
   or in_month_wh is null
   or in_month_wh > energy_wh + 1e-6 + 1e-12 * energy_wh
   or in_month_wh < -1e-6
