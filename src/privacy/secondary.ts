import type { SuppressionReason } from './primary.js';

export interface RegionCell {
  code: string;
  /** Energy of the cell (Wh): siblings are added to the suppressed set smallest first (privacy.md). */
  energyWh: number;
  primary: SuppressionReason | null;
}

export interface MaskInput {
  nationalPrimary: SuppressionReason | null;
  regions: RegionCell[];
}

export interface Mask {
  national: SuppressionReason | null;
  regions: Map<string, SuppressionReason | null>;
}

/**
 * What the nation minus the published regions reveals: the union of the suppressed regions and of the energy
 * that no published region holds (charge points without a resolved region). 'empty' when that union shows
 * nothing at all (no energy, actual or counterfactual, no session, no episode): it then reveals only that nobody
 * charged there, which identifies nobody.
 */
export type UnionVerdict = 'pass' | 'fail' | 'empty';
export type UnionCheck = (publishedRegionCodes: string[]) => Promise<UnionVerdict>;

/**
 * privacy.md "Secondary suppression": when the national cell is published, national minus the published regions
 * must itself pass the primary rule (counted on the union's distinct contributors); otherwise suppress further
 * regions, smallest energy first (ties by code, for determinism), until it does; if no set can, suppress the
 * nation too. When the nation is suppressed no difference of totals exists, so the regions' primary mask stands.
 */
export async function secondarySuppression(input: MaskInput, unionCheck: UnionCheck): Promise<Mask> {
  const regions = new Map(input.regions.map((cell) => [cell.code, cell.primary] as const));
  let national = input.nationalPrimary;
  const candidates = [...input.regions].sort((a, b) => a.energyWh - b.energyWh || a.code.localeCompare(b.code));
  while (national === null) {
    const published = input.regions.filter((cell) => regions.get(cell.code) === null).map((cell) => cell.code);
    const verdict = await unionCheck(published);
    if (verdict !== 'fail') break;
    const next = candidates.find((cell) => regions.get(cell.code) === null);
    if (next) regions.set(next.code, 'secondary');
    else national = 'secondary';
  }
  return { national, regions };
}
