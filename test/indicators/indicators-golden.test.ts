import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunParams, runParamsSchema } from '../../src/config/params.js';
import { buildIndicators } from '../../src/indicators/build-indicators.js';
import type { Store } from '../../src/store/database.js';
import { parseMonth } from '../../src/util/month.js';
import { loadMonthFixture, openTempStore, utc } from './month-fixture.js';
import { MARCH, P1, marchFixture } from './golden-march.js';

async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await store.connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

function round3(value: unknown): unknown {
  return typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
}

describe('monthly indicators on hand-computed inputs (March 2024, spring DST)', () => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, cleanup } = await openTempStore());
    await loadMonthFixture(store, marchFixture());
  });
  afterEach(() => cleanup());

  it('has the DST month calendar: 1486 slots, 84 peak slots', async () => {
    await buildIndicators(store, MARCH, defaultRunParams());
    const [calendar] = await rows(store, `select count(*) as slots, count(*) filter (where is_peak) as peak,
      count(*) filter (where is_offpeak) as offpeak from mart_month_calendar`);
    // Off-peak 23:00-07:00 = 16 slots a day, minus the skipped 02:00 and 02:30 of 31 March.
    expect(calendar).toEqual({ slots: 1486, peak: 84, offpeak: 31 * 16 - 2 });
  });

  it('computes every column of the region and national cells', async () => {
    const params = runParamsSchema.parse({ topN: 2 });
    const result = await buildIndicators(store, MARCH, params);
    expect(result.carbon).toEqual({ kind: 'consumption', sources: ['ODRE'], slots: 1486 });
    const byCode = Object.fromEntries(
      (await rows(store, 'select * from mart_indicators')).map((row) => [row.geo_code, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round3(v)]))]),
    );
    expect(byCode['11']).toEqual({
      geo_level: 'region', geo_code: '11', geo_name: 'Île-de-France', geo_rank: 1,
      sessions: 3, stations: 3, beneficiaries: 2,
      energy_kwh: 5, // 2000 + 1000 + 1000 + 500 + 500 Wh; the February and April slots are not March's
      carbon_g_per_kwh: 220, // (2000·400 + 3000·100) / 5000
      grid_carbon_g_per_kwh: 101,
      carbon_advantage_pct: -117.822, // 100·(1 − 220/101)
      emissions_kg: 1.1,
      max_load_kw: 4, // 2000 Wh in one half-hour
      peak_energy_share_pct: 40,
      peak_mean_load_kw: 0.048, // 2000 / (500·84)
      offpeak_energy_share_pct: 40, // O1 + M1 + M2
      uncontrolled_peak_mean_load_kw: 0.024, // 1000 / (500·84)
      smart_peak_reduction_kw: -0.024,
      smart_shifted_energy_pct: 40, // max(0, 3000 − 1000) at W1
      smart_carbon_delta_g_per_kwh: -60, // (1000·400 + 4000·100)/5000 − 220
      top_n_coincident_load_kw: 3, // mean(2000, 1000) / 500 over the top-2 consumption slots
      coverage_pct: 50, // 3 of 6 in service (cp 17 starts in April)
      episodes: 3, episodes_without_counterfactual: 1,
      missing_carbon_energy_pct: 0,
    });
    expect(byCode.FR).toMatchObject({
      geo_level: 'national', geo_name: 'France', sessions: 4, stations: 4, beneficiaries: 3,
      energy_kwh: 6, carbon_g_per_kwh: 200, grid_carbon_g_per_kwh: 101, carbon_advantage_pct: -98.02,
      emissions_kg: 1.2, max_load_kw: 4, peak_energy_share_pct: 33.333, peak_mean_load_kw: 0.048,
      offpeak_energy_share_pct: 50, uncontrolled_peak_mean_load_kw: 0.024, smart_shifted_energy_pct: 33.333,
      smart_carbon_delta_g_per_kwh: -50, top_n_coincident_load_kw: 3,
      coverage_pct: 40, // 4 of 10: region 11's six, two unresolved, two in region 84
      episodes: 4, episodes_without_counterfactual: 1,
    });
    // Every region always, overseas ones included, although none has energy (a row that appeared with energy
    // would tell that someone charged there).
    expect(Object.keys(byCode)).toHaveLength(19);
    expect(byCode['04']).toMatchObject({ stations: 0, energy_kwh: 0, sessions: 0 });
    expect(byCode['84']).toMatchObject({ stations: 0, energy_kwh: 0, carbon_g_per_kwh: null });
  });

  it('leaves the top-N coincident load empty when one slot of the month has no national consumption', async () => {
    await store.connection.run('update carbon_slots set consumption_mw = null where slot_s = $s', { s: MARCH.startS + 1800 });
    await buildIndicators(store, MARCH, runParamsSchema.parse({ topN: 2 }));
    const cells = await rows(store, `select geo_code, top_n_coincident_load_kw from mart_indicators where geo_code in ('FR', '11') order by 1`);
    expect(cells).toEqual([{ geo_code: '11', top_n_coincident_load_kw: null }, { geo_code: 'FR', top_n_coincident_load_kw: null }]);
    const [calendar] = await rows(store, 'select count(*) filter (where is_top_n) as top_n from mart_month_calendar');
    expect(calendar.top_n).toBe(0);
  });

  it('counts a charge point with energy as in service whatever its declared date (coverage <= 100 %)', async () => {
    await cleanup();
    ({ store, cleanup } = await openTempStore());
    const fixture = marchFixture();
    // cp 17 is declared in service from April but delivers energy in March: 4 stations of 7 in service.
    fixture.stations.push({ cpId: 17, userId: 'USER-B', region: '11', energyWh: 100 });
    await loadMonthFixture(store, fixture);
    await buildIndicators(store, MARCH, defaultRunParams());
    const [region] = await rows(store, `select stations, coverage_pct from mart_indicators where geo_code = '11'`);
    expect(region.stations).toBe(4);
    expect(round3(region.coverage_pct)).toBe(57.143);
  });

  it('counts DST local slots in the load profile (twice in autumn, absent in spring)', async () => {
    await buildIndicators(store, MARCH, defaultRunParams());
    const profile = await rows(store, `select day_type, local_time::varchar as t, occurrences, mean_load_kw, grid_carbon_g_per_kwh
      from mart_load_profile where geo_code = '11' and local_time in ('02:00', '18:00', '13:00') order by all`);
    expect(profile.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round3(v)])))).toEqual([
      { day_type: 'weekday', t: '02:00:00', occurrences: 21, mean_load_kw: 0, grid_carbon_g_per_kwh: 100 },
      { day_type: 'weekday', t: '13:00:00', occurrences: 21, mean_load_kw: 0, grid_carbon_g_per_kwh: 100 },
      { day_type: 'weekday', t: '18:00:00', occurrences: 21, mean_load_kw: 0.19, grid_carbon_g_per_kwh: 114.286 }, // 2000/21/500; (20·100+400)/21
      { day_type: 'weekend', t: '02:00:00', occurrences: 9, mean_load_kw: 0, grid_carbon_g_per_kwh: 100 },
      { day_type: 'weekend', t: '13:00:00', occurrences: 10, mean_load_kw: 0, grid_carbon_g_per_kwh: 218.6 }, // (9·100 + 1286)/10
      { day_type: 'weekend', t: '18:00:00', occurrences: 10, mean_load_kw: 0.2, grid_carbon_g_per_kwh: 100 },
    ]);
  });

  it('refuses a month with too much EV energy in slots without intensity', async () => {
    await store.connection.run('delete from carbon_slots where slot_s = $s', { s: P1 });
    await expect(buildIndicators(store, MARCH, defaultRunParams())).rejects.toMatchObject({ code: 'CARBON_MISSING' });
  });

  it('counts the autumn repeated hour twice (October 2024: 1490 slots)', async () => {
    const october = parseMonth('2024-10');
    await loadMonthFixture(store, {
      slots: [
        { region: '11', slotS: utc('2024-10-27T00:00:00Z'), energyWh: 500, cfEnergyWh: 0 }, // 02:00 CEST
        { region: '11', slotS: utc('2024-10-27T01:00:00Z'), energyWh: 500, cfEnergyWh: 0 }, // 02:00 CET
      ],
      stations: [{ cpId: 1, userId: 'U', region: '11', energyWh: 1000 }],
      sessions: [{ region: '11', sessions: 1 }],
    });
    await store.connection.run('delete from carbon_slots');
    await store.connection.run(`insert into carbon_slots select 'consumption', range, 100, null, 1 from range($a::bigint, $b::bigint, 1800)`, { a: october.startS, b: october.endS });
    await buildIndicators(store, october, defaultRunParams());
    const [calendar] = await rows(store, 'select count(*) as slots from mart_month_calendar');
    expect(calendar.slots).toBe(1490);
    const [profile] = await rows(store, `select occurrences, mean_load_kw from mart_load_profile
      where geo_code = '11' and day_type = 'weekend' and local_time = '02:00'`);
    // 8 weekend days, the 27th has two 02:00 slots: (500 + 500) / 9 / 500
    expect(profile.occurrences).toBe(9);
    expect(profile.mean_load_kw).toBeCloseTo(1000 / 9 / 500, 9);
  });
});
