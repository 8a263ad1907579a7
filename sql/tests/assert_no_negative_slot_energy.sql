-- No slot has negative energy, actual or counterfactual (beyond rounding noise).
select region_code, slot_s, energy_wh, cf_energy_wh
from month_cell_slots
where energy_wh < -1e-6 or cf_energy_wh < -1e-6 or energy_wh is null or cf_energy_wh is null
