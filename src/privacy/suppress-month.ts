import type { RunParams } from '../config/params.js';
import type { Store } from '../store/database.js';
import { contributorStatsOf, primaryReason, SUPPRESSION_REASONS, type SuppressionReason } from './primary.js';
import { secondarySuppression, type Mask } from './secondary.js';
import { sqlUnionCheck } from './union-check.js';

export interface SuppressionSummary {
  mask: Mask;
  /** Suppressed cells per reason (the manifest gives only these counts, privacy.md). */
  suppressedCells: Record<SuppressionReason, number>;
}

/**
 * Disclosure control of the month (privacy.md): primary rule on every cell of mart_cell_contributors, then
 * secondary suppression between the nation and its regions. The mask is written to the temp table
 * `cell_suppression`, which every published table (indicators, load profile) joins.
 */
export async function suppressMonth(store: Store, params: RunParams): Promise<SuppressionSummary> {
  const reader = await store.connection.runAndReadAll(
    `select geo_level, geo_code, stations, beneficiaries, contributed_wh,
        top_station_pct, top_beneficiary_pct, second_station_pct, second_beneficiary_pct
     from mart_cell_contributors`,
  );
  let nationalPrimary: SuppressionReason | null = null;
  const regions = [];
  for (const row of reader.getRowObjectsJS()) {
    const reason = primaryReason(contributorStatsOf(row), params);
    if (row.geo_level === 'national') nationalPrimary = reason;
    else regions.push({ code: String(row.geo_code), energyWh: Number(row.contributed_wh), primary: reason });
  }
  const mask = await secondarySuppression({ nationalPrimary, regions }, sqlUnionCheck(store, params));
  await writeMask(store, mask);
  const suppressedCells = Object.fromEntries(SUPPRESSION_REASONS.map((reason) => [reason, 0])) as Record<SuppressionReason, number>;
  for (const reason of [mask.national, ...mask.regions.values()]) if (reason) suppressedCells[reason] += 1;
  return { mask, suppressedCells };
}

async function writeMask(store: Store, mask: Mask): Promise<void> {
  const connection = store.connection;
  await connection.run(
    'create or replace temp table cell_suppression (geo_level varchar, geo_code varchar, suppressed boolean, suppression_reason varchar)',
  );
  const cells: Array<[string, string, SuppressionReason | null]> = [
    ['national', 'FR', mask.national],
    ...[...mask.regions].map(([code, reason]) => ['region', code, reason] as [string, string, SuppressionReason | null]),
  ];
  for (const [level, code, reason] of cells) {
    await connection.run('insert into cell_suppression values ($level, $code, $suppressed, $reason::varchar)', {
      level,
      code,
      suppressed: reason !== null,
      reason,
    });
  }
}
