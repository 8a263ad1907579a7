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

/**
 * True when the hidden part shows anything in a published national value: a session or an episode counted in the
 * month (even of 0 Wh), energy, actual or counterfactual, in a slot (an episode of the previous month reaches
 * into this one), or a registered charge point in service (national coverage_pct minus the published regions'
 * would give their count). Only a hidden part without any of these is 'empty': it then shows zeros only, and
 * that nobody charged in a region without charge points identifies nobody.
 */
async function hiddenActivity(store: Store): Promise<boolean> {
  const hidden = `(region_code is null or region_code not in (select region_code from published_regions))`;
  const reader = await store.connection.runAndReadAll(`
    select
        exists (select 1 from month_region_sessions where sessions > 0 and ${hidden})
        or exists (select 1 from month_region_episodes where episodes > 0 and ${hidden})
        or exists (select 1 from month_cell_slots where (energy_wh <> 0 or cf_energy_wh <> 0) and ${hidden})
        or exists (select 1 from mart_region_registered where registered > 0 and ${hidden}) as active`);
  return reader.getRowObjectsJS()[0]?.active === true;
}

export function sqlUnionCheck(store: Store, thresholds: Thresholds): UnionCheck {
  return async (published) => {
    const stats = await hiddenUnionStats(store, published);
    // Without contributors of energy, the hidden part still shows its sessions, episodes and counterfactual load
    // in national minus the published regions: it fails the rule (no station), unless it shows nothing at all.
    if (stats.stations === 0) return (await hiddenActivity(store)) ? 'fail' : 'empty';
    return primaryReason(stats, thresholds) === null ? 'pass' : 'fail';
  };
}
