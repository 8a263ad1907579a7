import type { ContributorStats } from '../../src/privacy/primary.js';

/** A plain-JS model of month_station_energy, used to check the suppression independently of SQL. */
export interface Contribution { cpId: number; userId: string; region: string | null; energyWh: number }

export function statsOf(rows: Contribution[]): ContributorStats {
  const live = rows.filter((row) => row.energyWh > 0);
  const byStation = sumBy(live, (row) => String(row.cpId));
  const byUser = sumBy(live, (row) => row.userId);
  const total = live.reduce((sum, row) => sum + row.energyWh, 0);
  return {
    stations: byStation.size,
    beneficiaries: byUser.size,
    topStationPct: total > 0 ? (100 * largest(byStation, 0)) / total : null,
    topBeneficiaryPct: total > 0 ? (100 * largest(byUser, 0)) / total : null,
    secondStationPct: total > 0 ? (100 * largest(byStation, 1)) / total : null,
    secondBeneficiaryPct: total > 0 ? (100 * largest(byUser, 1)) / total : null,
  };
}

/** The (rank + 1)-th largest sum, 0 when there are not that many. */
function largest(sums: Map<string, number>, rank: number): number {
  return [...sums.values()].sort((a, b) => b - a)[rank] ?? 0;
}

function sumBy(rows: Contribution[], key: (row: Contribution) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + row.energyWh);
  return sums;
}

/** National minus the published regions: what a reader can recompute from the published table. */
export function hiddenRows(rows: Contribution[], published: Set<string>): Contribution[] {
  return rows.filter((row) => row.energyWh > 0 && (row.region === null || !published.has(row.region)));
}
