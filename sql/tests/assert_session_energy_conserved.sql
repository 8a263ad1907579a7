-- Conservation per session (indicators.md): a curve's power-step events add up to its energy (to 1e-6 Wh)
-- and to zero power; no session has more energy inside the month than in total, nor less than zero.
select session_id, energy_wh, events_total_wh, in_month_wh
from int_month_session_energy
where (is_curve and (abs(events_total_wh - energy_wh) > 1e-6 + 1e-12 * energy_wh
        or abs(delta_sum_wh_per_s) > 1e-9))
   or in_month_wh > energy_wh + 1e-6 + 1e-12 * energy_wh
   or in_month_wh < -1e-6
