import type { RunParams } from '../config/params.js';

/** Why a cell is suppressed (privacy.md "How suppression appears"). */
export type SuppressionReason = 'min_stations' | 'min_beneficiaries' | 'dominance' | 'secondary';

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['min_stations', 'min_beneficiaries', 'dominance', 'secondary'];

/** The contributors of a cell, or of a union of cells: what the primary rule looks at. */
export interface ContributorStats {
  stations: number;
  beneficiaries: number;
  /** Share of the largest charge point / beneficiary in the energy, in % (null when there is no energy). */
  topStationPct: number | null;
  topBeneficiaryPct: number | null;
  /** Share of the second largest, in % (0 with a single contributor, null when there is no energy). */
  secondStationPct: number | null;
  secondBeneficiaryPct: number | null;
}

export type Thresholds = Pick<RunParams, 'minStations' | 'minBeneficiaries' | 'dominanceRule' | 'dominancePct' | 'pPercent'>;

/**
 * privacy.md "Primary suppression": published only with >= minStations distinct charge points, >=
 * minBeneficiaries distinct UserIDs, and neither the charge points nor the beneficiaries dominated by their
 * largest (dominates()). The first failing test names the reason, in that order.
 */
export function primaryReason(stats: ContributorStats, thresholds: Thresholds): SuppressionReason | null {
  if (stats.stations < thresholds.minStations) return 'min_stations';
  if (stats.beneficiaries < thresholds.minBeneficiaries) return 'min_beneficiaries';
  if (dominates(stats.topStationPct, stats.secondStationPct, thresholds)) return 'dominance';
  if (dominates(stats.topBeneficiaryPct, stats.secondBeneficiaryPct, thresholds)) return 'dominance';
  return null;
}

/**
 * `share`: the largest holds more than dominancePct of the cell. `p-percent` (the SDC Handbook's p % rule):
 * the cell minus its two largest contributions is less than pPercent of the largest, so the second largest,
 * who knows its own part, could estimate the largest to within pPercent. Shares in % of the cell's energy.
 */
function dominates(topPct: number | null, secondPct: number | null, thresholds: Thresholds): boolean {
  if (topPct === null) return false;
  if (thresholds.dominanceRule === 'share') return topPct > thresholds.dominancePct;
  return 100 - topPct - (secondPct ?? 0) < (thresholds.pPercent / 100) * topPct;
}

/** ContributorStats from a row with the columns of mart_cell_contributors (snake_case, DuckDB values). */
export function contributorStatsOf(row: Record<string, unknown>): ContributorStats {
  const pct = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    stations: Number(row.stations),
    beneficiaries: Number(row.beneficiaries),
    topStationPct: pct(row.top_station_pct),
    topBeneficiaryPct: pct(row.top_beneficiary_pct),
    secondStationPct: pct(row.second_station_pct),
    secondBeneficiaryPct: pct(row.second_beneficiary_pct),
  };
}
