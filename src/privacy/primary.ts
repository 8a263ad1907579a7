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
}

export type Thresholds = Pick<RunParams, 'minStations' | 'minBeneficiaries' | 'dominancePct'>;

/**
 * privacy.md "Primary suppression": published only with >= minStations distinct charge points, >=
 * minBeneficiaries distinct UserIDs, and neither the largest beneficiary nor the largest charge point above
 * dominancePct of the energy. The first failing test names the reason, in that order.
 */
export function primaryReason(stats: ContributorStats, thresholds: Thresholds): SuppressionReason | null {
  if (stats.stations < thresholds.minStations) return 'min_stations';
  if (stats.beneficiaries < thresholds.minBeneficiaries) return 'min_beneficiaries';
  if ((stats.topStationPct ?? 0) > thresholds.dominancePct) return 'dominance';
  if ((stats.topBeneficiaryPct ?? 0) > thresholds.dominancePct) return 'dominance';
  return null;
}
