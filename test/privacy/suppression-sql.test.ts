import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunParams, runParamsSchema, type RunParams } from '../../src/config/params.js';
import { buildIndicators } from '../../src/indicators/build-indicators.js';
import { primaryReason } from '../../src/privacy/primary.js';
import { hiddenUnionStats } from '../../src/privacy/union-check.js';
import { suppressMonth } from '../../src/privacy/suppress-month.js';
import type { Store } from '../../src/store/database.js';
import { buildReportTables } from '../../src/report/publish-month.js';
import { parseMonth } from '../../src/util/month.js';
import { flatCarbon, loadMonthFixture, openTempStore, utc, type MonthFixture } from '../indicators/month-fixture.js';

const MAY = parseMonth('2024-05');
const NOON = utc('2024-05-14T10:00:00Z');

/** A region's contributions: one charge point per entry of `energies`, beneficiaries assigned round-robin. */
function region(code: string, users: number, energies: number[], firstCp: number) {
  return energies.map((energyWh, i) => ({ cpId: firstCp + i, userId: `${code}-U${i % users}`, region: code, energyWh }));
}

function fixtureOf(stations: MonthFixture['stations']): MonthFixture {
  const byRegion = new Map<string | null, number>();
  for (const row of stations) byRegion.set(row.region, (byRegion.get(row.region) ?? 0) + row.energyWh);
  return {
    stations,
    slots: [...byRegion].map(([code, energyWh]) => ({ region: code, slotS: NOON, energyWh, cfEnergyWh: energyWh })),
    sessions: [...byRegion].map(([code]) => ({ region: code, sessions: 20 })),
    carbon: { kind: 'consumption', source: 'ODRE', rows: flatCarbon(MAY.startS, MAY.endS, 50) },
  };
}

const even = (n: number, wh: number) => Array.from({ length: n }, () => wh);

async function publishedMask(store: Store, params: RunParams = defaultRunParams()) {
  await buildIndicators(store, MAY, params);
  const summary = await suppressMonth(store, params);
  await buildReportTables(store);
  const reader = await store.connection.runAndReadAll(
    'select geo_code, suppressed, suppression_reason, energy_kwh, stations, beneficiaries from report_indicators',
  );
  const rows = reader.getRowObjectsJS();
  return { summary, rows, reasons: Object.fromEntries(rows.map((row) => [row.geo_code, row.suppression_reason])) };
}

describe('disclosure control on the store tables (default thresholds 10 / 3 / 85 %)', () => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(async () => ({ store, cleanup } = await openTempStore()));
  afterEach(() => cleanup());

  it('suppresses each region below a threshold with its reason, then one more as secondary', async () => {
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, even(12, 1000), 100),
      ...region('84', 4, even(12, 2000), 200),
      ...region('93', 3, even(5, 20), 300), // 5 charge points
      ...region('44', 2, even(10, 10), 400), // 2 beneficiaries
      ...region('75', 3, [18000, ...even(9, 10)], 500), // one charge point holds 99.5 %
      ...region('76', 3, even(11, 100), 600), // passes; the smallest published region
    ]));
    const { rows, reasons, summary } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '84': null, '93': 'min_stations', '44': 'min_beneficiaries', '75': 'dominance' });
    // 93 ∪ 44 ∪ 75: the 18000 Wh charge point holds 18000/18290 > 85 %, so 76 (1100 Wh) joins: 18000/19390 = 92.8 %,
    // still > 85 %; then 11 (12000 Wh): 18000/31390 = 57 %, which passes.
    expect(reasons['76']).toBe('secondary');
    expect(reasons['11']).toBe('secondary');
    const suppressedRow = rows.find((row) => row.geo_code === '93')!;
    expect(suppressedRow).toMatchObject({ suppressed: true, energy_kwh: null, stations: null, beneficiaries: null });
    // Empty regions, the 5 overseas ones included, are suppressed as min_stations (counts below the threshold
    // are never printed).
    expect(reasons['94']).toBe('min_stations');
    expect(reasons['04']).toBe('min_stations');
    expect(summary.suppressedCells).toEqual({ min_stations: 1 + 7 + 5, min_beneficiaries: 1, dominance: 1, secondary: 2 });
  });

  it('applies the p % rule when chosen, to charge points and beneficiaries, with its secondary suppression', async () => {
    // Region 11: 6000 + 3500 + 10 x 50 Wh on 12 charge points: largest 60 %, second 35 %, the rest 5 % < 10 % of
    // 60 %. Its beneficiaries (round-robin on 4): 6100, 3600, 150, 150 Wh: 61 %, 36 %, rest 3 %. The share rule
    // (85 %) publishes it.
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, [6000, 3500, ...even(10, 50)], 100),
      ...region('84', 5, even(20, 3000), 200),
      ...region('76', 5, even(15, 1000), 300),
    ]));
    expect((await publishedMask(store)).reasons).toMatchObject({ FR: null, '11': null, '84': null, '76': null });
    const pPercent = runParamsSchema.parse({ dominanceRule: 'p-percent', pPercent: 10 });
    // Alone, 11 would be national minus the others: 76, the smallest published region, joins it; 11 and 76
    // together (25,000 Wh, largest 24.4 %, second 14.4 %) pass.
    const { reasons, summary } = await publishedMask(store, pPercent);
    expect(reasons).toMatchObject({ FR: null, '11': 'dominance', '76': 'secondary', '84': null });
    expect(summary.suppressedCells).toMatchObject({ dominance: 1, secondary: 1 });
  });

  it('suppresses a second region when exactly one is suppressed, and nothing is recoverable', async () => {
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, even(12, 1000), 100),
      ...region('84', 5, even(20, 3000), 200),
      ...region('93', 3, even(3, 500), 300),
    ]));
    const { rows, reasons } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '11': 'secondary', '84': null, '93': 'min_stations' });
    // National minus the published regions is the union of the suppressed ones: it must pass the primary rule.
    const national = rows.find((row) => row.geo_code === 'FR')!;
    const published = rows.filter((row) => row.geo_code !== 'FR' && !row.suppressed);
    const recoveredKwh = Number(national.energy_kwh) - published.reduce((s, row) => s + Number(row.energy_kwh), 0);
    expect(recoveredKwh).toBeCloseTo(12 + 1.5, 6); // 11 and 93 together, never 93 alone
    const union = await hiddenUnionStats(store, published.map((row) => String(row.geo_code)));
    expect(primaryReason(union, defaultRunParams())).toBeNull();
  });

  it('treats a hidden region with sessions but no energy as recoverable, not as empty', async () => {
    // Region 94 has 20 sessions of 0 Wh: national minus the published regions would give them (and its episodes,
    // its counterfactual load), so it must hide inside a union that passes the rule.
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, even(12, 1000), 100),
      ...region('84', 4, even(12, 2000), 200),
      { cpId: 940, userId: 'CORSE', region: '94', energyWh: 0 },
    ]));
    const { reasons, rows } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '94': 'min_stations', '11': 'secondary', '84': null });
    expect(rows.find((row) => row.geo_code === '84')?.suppressed).toBe(false);
  });

  it('treats a hidden region with registered charge points but no charging as recoverable (coverage_pct)', async () => {
    // National coverage minus the published regions' would give region 94's 2 registered points (and 0 % coverage).
    await loadMonthFixture(store, {
      ...fixtureOf([...region('11', 4, even(12, 1000), 100), ...region('84', 4, even(12, 2000), 200)]),
      registry: [{ cpId: 940, region: '94' }, { cpId: 941, region: '94' }],
    });
    const { reasons } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '94': 'min_stations', '11': 'secondary', '84': null });
  });

  it('publishes the nation beside empty regions that show nothing at all', async () => {
    await loadMonthFixture(store, fixtureOf([...region('11', 4, even(12, 1000), 100), ...region('84', 4, even(12, 2000), 200)]));
    const { reasons } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '11': null, '84': null, '94': 'min_stations', '04': 'min_stations' });
  });

  it('counts unresolved charge points in what the nation hides', async () => {
    // The unresolved part (region null) alone passes, so region 93 may hide inside it without a secondary.
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, even(12, 1000), 100),
      ...region('93', 3, even(3, 500), 300),
      ...even(12, 700).map((energyWh, i) => ({ cpId: 900 + i, userId: `N-U${i % 4}`, region: null, energyWh })),
    ]));
    const { reasons } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '11': null, '93': 'min_stations' });
  });

  it('suppresses the unresolved remainder when it alone would be recoverable', async () => {
    await loadMonthFixture(store, fixtureOf([
      ...region('11', 4, even(12, 1000), 100),
      ...region('84', 4, even(12, 2000), 200),
      { cpId: 999, userId: 'LONE', region: null, energyWh: 400 },
    ]));
    const { reasons } = await publishedMask(store);
    expect(reasons).toMatchObject({ FR: null, '11': 'secondary', '84': null });
  });
});
