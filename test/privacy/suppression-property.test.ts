import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParamsSchema } from '../../src/config/params.js';
import { buildIndicators } from '../../src/indicators/build-indicators.js';
import { primaryReason } from '../../src/privacy/primary.js';
import { suppressMonth } from '../../src/privacy/suppress-month.js';
import type { Store } from '../../src/store/database.js';
import { buildReportTables } from '../../src/report/publish-month.js';
import { parseMonth } from '../../src/util/month.js';
import { flatCarbon, loadMonthFixture, openTempStore, utc } from '../indicators/month-fixture.js';
import { hiddenRows, statsOf, type Contribution } from './contribution-model.js';

const MAY = parseMonth('2024-05');
const SHARE = runParamsSchema.parse({ minStations: 3, minBeneficiaries: 2, dominancePct: 85 });
const P_PERCENT = runParamsSchema.parse({ minStations: 3, minBeneficiaries: 2, dominanceRule: 'p-percent', pPercent: 15 });
const REGIONS = ['11', '24', '27', '28'];

const contribution = fc.record({
  cpId: fc.integer({ min: 1, max: 30 }),
  userId: fc.constantFrom('A', 'B', 'C', 'D'),
  region: fc.constantFrom<string | null>(...REGIONS, null),
  energyWh: fc.integer({ min: 1, max: 4000 }),
});

/** One region per charge point, as in the store (a charge point sits in one commune). */
function normalise(rows: Contribution[]): Contribution[] {
  const regionOf = new Map<number, string | null>();
  for (const row of rows) if (!regionOf.has(row.cpId)) regionOf.set(row.cpId, row.region);
  return rows.map((row) => ({ ...row, region: regionOf.get(row.cpId)! }));
}

describe('no suppressed value can be recovered from the published tables (SQL path, random months)', () => {
  let store: Store;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ store, cleanup } = await openTempStore());
    await loadMonthFixture(store, { slots: [], stations: [], sessions: [], carbon: { kind: 'consumption', source: 'ODRE', rows: flatCarbon(MAY.startS, MAY.endS, 30) } });
  });
  afterAll(() => cleanup());

  it.each([['share', SHARE], ['p %', P_PERCENT]] as const)('national minus the published regions always passes the primary rule (%s dominance rule)', async (_, PARAMS) => {
    await fc.assert(
      fc.asyncProperty(fc.array(contribution, { minLength: 1, maxLength: 40 }), async (raw) => {
        const rows = normalise(raw);
        const slotS = utc('2024-05-15T10:00:00Z');
        const byRegion = new Map<string | null, number>();
        for (const row of rows) byRegion.set(row.region, (byRegion.get(row.region) ?? 0) + row.energyWh);
        await loadMonthFixture(store, {
          stations: rows,
          slots: [...byRegion].map(([region, energyWh]) => ({ region, slotS, energyWh, cfEnergyWh: energyWh })),
          sessions: [...byRegion].map(([region]) => ({ region, sessions: 1 })),
        });
        await buildIndicators(store, MAY, PARAMS);
        await suppressMonth(store, PARAMS);
        await buildReportTables(store);
        const published = (await store.connection.runAndReadAll('select geo_code, suppressed, suppression_reason, energy_kwh from report_indicators')).getRowObjectsJS();
        const national = published.find((row) => row.geo_code === 'FR')!;
        // Primary reasons agree with the independent model.
        for (const code of REGIONS) {
          const expected = primaryReason(statsOf(rows.filter((row) => row.region === code)), PARAMS);
          const row = published.find((r) => r.geo_code === code)!;
          if (expected) expect(row.suppression_reason).toBe(expected);
        }
        expect(national.suppression_reason).toBe(primaryReason(statsOf(rows), PARAMS));
        // A suppressed cell has no value in any table.
        const leaks = await store.connection.runAndReadAll(
          `select count(*) as n from report_load_profile where suppressed and (mean_load_kw is not null or uncontrolled_mean_load_kw is not null)`,
        );
        expect(Number(leaks.getRowObjectsJS()[0].n)).toBe(0);
        if (national.suppressed) return;
        const publishedCodes = new Set(published.filter((r) => r.geo_code !== 'FR' && !r.suppressed).map((r) => String(r.geo_code)));
        const hidden = hiddenRows(rows, publishedCodes);
        // What the difference reveals is exactly the hidden contributions' energy ...
        const differenceKwh = Number(national.energy_kwh) - published.filter((r) => publishedCodes.has(String(r.geo_code))).reduce((s, r) => s + Number(r.energy_kwh), 0);
        expect(differenceKwh).toBeCloseTo(hidden.reduce((s, r) => s + r.energyWh, 0) / 1000, 2);
        // ... and those contributions, taken together, pass the primary rule.
        if (hidden.length > 0) expect(primaryReason(statsOf(hidden), PARAMS)).toBeNull();
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
