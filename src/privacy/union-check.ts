import type { Store } from '../store/database.js';
import { contributorStatsOf, primaryReason, type ContributorStats, type Thresholds } from './primary.js';
import type { UnionCheck } from './secondary.js';

/**
 * The contributors of "nation minus the published regions", computed from month_station_energy: every
 * contribution whose region is not published (suppressed, unresolved, or not a listed region).
 */
export async function hiddenUnionStats(store: Store, publishedRegionCodes: string[]): Promise<ContributorStats> {
  const connection = store.connection;
  await connection.run('create or replace temp table published_regions (region_code varchar)');
  for (const code of publishedRegionCodes) await connection.run('insert into published_regions values ($code)', { code });
  const reader = await connection.runAndReadAll(`
    with
    hidden as (
        select cp_id, user_id, energy_wh
        from month_station_energy
        where energy_wh > 0
            and (region_code is null or region_code not in (select region_code from published_regions))
    ),
    by_station as (select cp_id, sum(energy_wh) as energy_wh from hidden group by all),
    by_beneficiary as (select user_id, sum(energy_wh) as energy_wh from hidden group by all)
    select
        (select count(*) from by_station) as stations,
        (select count(*) from by_beneficiary) as beneficiaries,
        100 * (select max(energy_wh) from by_station) / nullif((select sum(energy_wh) from hidden), 0) as top_station_pct,
        100 * (select max(energy_wh) from by_beneficiary) / nullif((select sum(energy_wh) from hidden), 0) as top_beneficiary_pct,
        100 * coalesce((select max(energy_wh, 2)[2] from by_station), 0) / nullif((select sum(energy_wh) from hidden), 0)
            as second_station_pct,
        100 * coalesce((select max(energy_wh, 2)[2] from by_beneficiary), 0) / nullif((select sum(energy_wh) from hidden), 0)
            as second_beneficiary_pct`);
  return contributorStatsOf(reader.getRowObjectsJS()[0]);
}

export function sqlUnionCheck(store: Store, thresholds: Thresholds): UnionCheck {
  return async (published) => {
    const stats = await hiddenUnionStats(store, published);
    if (stats.stations === 0) return 'empty';
    return primaryReason(stats, thresholds) === null ? 'pass' : 'fail';
  };
}
