-- Conservation per session (indicators.md): the power-step events of a curve inside the month add up to its
-- energy (to 1e-6 Wh) and leave no power at its end. Checked for every curve with session sums: all of them up
-- to 100,000 curves in the month; beyond, those crossing a month bound or without nominal power, and one in
-- `session_check_modulus` of the others (curve-passes.ts). No session has more energy inside the month than
-- in total, nor less than zero.
select session_id, energy_wh, events_in_month_wh, in_month_wh
from int_month_session_energy
where (is_curve and inside_month and events_in_month_wh is not null
        and (abs(events_in_month_wh - energy_wh) > 1e-6 + 1e-12 * energy_wh or abs(power_left_wh_per_s) > 1e-9))
   or in_month_wh is null
   or in_month_wh > energy_wh + 1e-6 + 1e-12 * energy_wh
   or in_month_wh < -1e-6
