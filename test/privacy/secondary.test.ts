import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { primaryReason, type Thresholds } from '../../src/privacy/primary.js';
import { secondarySuppression, type UnionCheck } from '../../src/privacy/secondary.js';
import { hiddenRows, statsOf, type Contribution } from './contribution-model.js';

const THRESHOLDS: Thresholds = { minStations: 3, minBeneficiaries: 2, dominanceRule: 'share', dominancePct: 85, pPercent: 10 };
const P_PERCENT: Thresholds = { ...THRESHOLDS, dominanceRule: 'p-percent', pPercent: 15 };
const REGIONS = ['11', '24', '27', '28', '32'];

function modelCheck(rows: Contribution[], thresholds: Thresholds): UnionCheck {
  return async (published) => {
    const hidden = hiddenRows(rows, new Set(published));
    if (hidden.length === 0) return 'empty';
    return primaryReason(statsOf(hidden), thresholds) === null ? 'pass' : 'fail';
  };
}

async function maskOf(rows: Contribution[], thresholds = THRESHOLDS) {
  const regions = REGIONS.map((code) => {
    const own = rows.filter((row) => row.region === code);
    return { code, energyWh: own.reduce((s, r) => s + r.energyWh, 0), primary: primaryReason(statsOf(own), thresholds) };
  });
  const nationalPrimary = primaryReason(statsOf(rows), thresholds);
  return { regions, nationalPrimary, mask: await secondarySuppression({ nationalPrimary, regions }, modelCheck(rows, thresholds)) };
}

const contribution = fc.record({
  cpId: fc.integer({ min: 1, max: 25 }),
  userId: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
  region: fc.constantFrom<string | null>(...REGIONS, null),
  energyWh: fc.integer({ min: 0, max: 5000 }),
});

describe('primary rule', () => {
  it('names the first failing test', () => {
    const base = { stations: 10, beneficiaries: 3, topStationPct: 85, topBeneficiaryPct: 85, secondStationPct: 5, secondBeneficiaryPct: 10 };
    const defaults: Thresholds = { minStations: 10, minBeneficiaries: 3, dominanceRule: 'share', dominancePct: 85, pPercent: 10 };
    expect(primaryReason(base, defaults)).toBeNull(); // 85 % is allowed ("at most 85 %")
    expect(primaryReason({ ...base, stations: 9 }, defaults)).toBe('min_stations');
    expect(primaryReason({ ...base, stations: 9, beneficiaries: 1 }, defaults)).toBe('min_stations');
    expect(primaryReason({ ...base, beneficiaries: 2 }, defaults)).toBe('min_beneficiaries');
    expect(primaryReason({ ...base, topStationPct: 85.01 }, defaults)).toBe('dominance');
    expect(primaryReason({ ...base, topBeneficiaryPct: 90 }, defaults)).toBe('dominance');
  });

  it('applies the p % rule when chosen: the rest after the two largest must reach p % of the largest', () => {
    const rule: Thresholds = { minStations: 1, minBeneficiaries: 1, dominanceRule: 'p-percent', dominancePct: 85, pPercent: 10 };
    const cell = (top: number, second: number) =>
      ({ stations: 10, beneficiaries: 3, topStationPct: top, secondStationPct: second, topBeneficiaryPct: 20, secondBeneficiaryPct: 20 });
    // Largest 60 %, second 35 %: the rest, 5 %, is under 10 % of 60 % = 6 %. The share rule (85 %) lets it pass.
    expect(primaryReason(cell(60, 35), rule)).toBe('dominance');
    expect(primaryReason(cell(60, 35), { ...rule, dominanceRule: 'share' })).toBeNull();
    // Largest 60 %, second 30 %: the rest, 10 %, reaches 6 %.
    expect(primaryReason(cell(60, 30), rule)).toBeNull();
    // Largest 90 %, second 1 %: the rest, 9 %, is 10 % of 90 % exactly, which passes ("at least p %").
    expect(primaryReason(cell(90, 1), rule)).toBeNull();
    expect(primaryReason(cell(90, 1.5), rule)).toBe('dominance');
    // The beneficiaries are tested too; a single contributor (no second) leaves no rest at all.
    expect(primaryReason({ ...cell(20, 20), topBeneficiaryPct: 100, secondBeneficiaryPct: 0 }, rule)).toBe('dominance');
    // The model of the contributions gives the same shares: 600 + 350 + 50 Wh on three charge points.
    const rows: Contribution[] = [600, 350, 30, 20].map((energyWh, i) => ({ cpId: i, userId: `U${i}`, region: '11', energyWh }));
    expect(statsOf(rows)).toMatchObject({ topStationPct: 60, secondStationPct: 35 });
    expect(primaryReason(statsOf(rows), rule)).toBe('dominance');
  });
});

describe('secondary suppression (model of the contributions)', () => {
  it('suppresses a second region, the smallest, when exactly one is suppressed', async () => {
    const rows: Contribution[] = [];
    REGIONS.forEach((region, r) => {
      const stations = region === '24' ? 1 : 4; // region 24 fails min_stations
      for (let i = 0; i < stations; i++) rows.push({ cpId: r * 10 + i, userId: `U${i % 2}`, region, energyWh: 1000 * (r + 1) });
    });
    const { mask } = await maskOf(rows);
    expect(mask.national).toBeNull();
    expect(Object.fromEntries(mask.regions)).toEqual({ '11': 'secondary', '24': 'min_stations', '27': null, '28': null, '32': null });
  });

  it.each([['share', THRESHOLDS], ['p %', P_PERCENT]] as const)('holds the union rule on random months (%s dominance rule)', async (_, thresholds) => {
    await fc.assert(
      fc.asyncProperty(fc.array(contribution, { maxLength: 60 }), async (rows) => {
        const { regions, nationalPrimary, mask } = await maskOf(rows, thresholds);
        // Primary reasons are kept; the nation is suppressed only when it fails the rule itself.
        for (const cell of regions) if (cell.primary) expect(mask.regions.get(cell.code)).toBe(cell.primary);
        expect(mask.national).toBe(nationalPrimary);
        if (mask.national !== null) return;
        // Nation minus the published regions passes the primary rule, or holds no contributor at all.
        const published = new Set([...mask.regions].filter(([, reason]) => reason === null).map(([code]) => code));
        const hidden = hiddenRows(rows, published);
        if (hidden.length > 0) expect(primaryReason(statsOf(hidden), thresholds)).toBeNull();
        // Never exactly one suppressed region with contributors when nothing else is hidden.
        const hiddenRegions = new Set(hidden.map((row) => row.region));
        if (!hiddenRegions.has(null) && hidden.length > 0) expect(hiddenRegions.size).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 300 },
    );
  });

  it('suppresses the nation when no set of regions can make the union pass', async () => {
    const mask = await secondarySuppression(
      { nationalPrimary: null, regions: [{ code: '11', energyWh: 5, primary: 'min_stations' }, { code: '24', energyWh: 9, primary: null }] },
      async () => 'fail',
    );
    expect(mask.national).toBe('secondary');
    expect(Object.fromEntries(mask.regions)).toEqual({ '11': 'min_stations', '24': 'secondary' });
  });
});
