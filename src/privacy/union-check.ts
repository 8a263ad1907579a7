import type { Store } from '../store/database.js';
import { contributorStatsOf, primaryReason, type ContributorStats, type Thresholds } from './primary.js';
import type { UnionCheck } from './secondary.js';

const EMPTY_UNION: ContributorStats = {
  stations: 0, beneficiaries: 0, topStationPct: null, topBeneficiaryPct: null, secondStationPct: null, secondBeneficiaryPct: null,
};

/**
 * The contributors of "nation minus the published regions", computed from month_station_energy: every
 * contribution whose region is not published (suppressed, unresolved, or not a listed region).
 */
export async function hiddenUnionStats(store: Store, publishedRegionCodes: string[]): Promise<ContributorStats> {
  const connection = store.connection;
  await connection.run('create or replace temp table published_regions (region_code varchar)');
  for (const code of publishedRegionCodes) await connection.run('insert into published_regions values ($code)', { code });
  // The same figures as a cell's (sql/macros/contributor_stats.sql, created with the marts), on one group.
  await connection.run(`
    create or replace temp view hidden_contributions as
    select 'union' as geo_level, 'hidden' as geo_code, cp_id, user_id, energy_wh
    from month_station_energy
    where energy_wh > 0
        and (region_code is null or region_code not in (select region_code from published_regions))`);
  const reader = await connection.runAndReadAll(`select * from contributor_stats('hidden_contributions')`);
  const [row] = reader.getRowObjectsJS();
  return row ? contributorStatsOf(row) : EMPTY_UNION;
}

export function sqlUnionCheck(store: Store, thresholds: Thresholds): UnionCheck {
  return async (published) => {
    const stats = await hiddenUnionStats(store, published);
    if (stats.stations === 0) return 'empty';
    return primaryReason(stats, thresholds) === null ? 'pass' : 'fail';
  };
}
