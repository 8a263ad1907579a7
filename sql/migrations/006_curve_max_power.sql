-- The steepest power of each curve (issue 4): the highest mean power between two consecutive points, in Wh/s
-- (0 for a curve whose points share one instant), null for operations. It is what the counterfactual falls back
-- on when the charge point's nominal power is unknown (indicators.md) and what the nominal-power data test
-- screens with; kept per session so that the monthly run needs no per-point maximum. Ingest fills it with each
-- batch; curves stored before this migration get it from the next run (src/store/curve-max-power.ts).
alter table sessions add column max_power_wh_per_s double;
