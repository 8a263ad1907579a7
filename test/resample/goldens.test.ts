import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { addChargePoint, addCurve, addOperation, buildAndCheck, clearStore, createTestStore, nonZero, readSlots, rows, utc } from './helpers.js';

// Hand-computed slot energies (issue 4, point 1). Times are UTC; comments give Europe/Paris local times.
let store: Store;
let cleanup: () => void;
beforeAll(async () => ({ store, cleanup } = await createTestStore()));
afterAll(() => cleanup());
beforeEach(async () => {
  await clearStore(store);
  await addChargePoint(store, 1, '11', 7.2); // 7.2 kW = 2 Wh/s
});

describe('curves', () => {
  it('splits a curve over the March DST change (2024-03-31, 46 local slots)', async () => {
    // 00:45Z (01:45 CET) 0 Wh -> 01:15Z (03:15 CEST) 1800 Wh -> 02:00Z 7200 Wh: 1 Wh/s then 2 Wh/s.
    await addCurve(store, 1, [[utc('2024-03-31T00:45Z'), 0], [utc('2024-03-31T01:15Z'), 1800], [utc('2024-03-31T02:00Z'), 7200]]);
    await buildAndCheck(store, '2024-03');
    const slots = await readSlots(store);
    expect(slots).toHaveLength(1486); // 31 days * 48 - 2
    expect(nonZero(slots, '11')).toEqual({ '2024-03-31T00:30': 900, '2024-03-31T01:00': 2700, '2024-03-31T01:30': 3600 });
    const day = await rows(store, `select count(*) as n, min(local_minute_of_day) as first_min from month_slot_calendar where local_day = '2024-03-31'`);
    expect(Number(day[0].n)).toBe(46);
    const local = await rows(store, `select local_minute_of_day as m from month_slot_calendar where slot_s = ${utc('2024-03-31T01:00Z')}`);
    expect(local[0].m).toBe(180); // 03:00 CEST: 02:00-03:00 local does not exist
  });

  it('splits a curve over the October DST change (2024-10-27, 50 local slots)', async () => {
    await addCurve(store, 1, [[utc('2024-10-27T00:00Z'), 1000], [utc('2024-10-27T02:00Z'), 8200]]);
    await buildAndCheck(store, '2024-10');
    const slots = await readSlots(store);
    expect(slots).toHaveLength(1490);
    expect(nonZero(slots, '11')).toEqual({
      '2024-10-27T00:00': 1800, '2024-10-27T00:30': 1800, '2024-10-27T01:00': 1800, '2024-10-27T01:30': 1800,
    });
    const day = await rows(store, `select local_minute_of_day as m from month_slot_calendar where local_day = '2024-10-27' order by slot_s`);
    expect(day).toHaveLength(50);
    // 02:00 and 02:30 local happen twice (CEST then CET).
    expect(day.slice(4, 8).map((r) => r.m)).toEqual([120, 150, 120, 150]);
  });

  it('handles repeated points and flat stretches', async () => {
    await addCurve(store, 1, [
      [utc('2024-05-10T10:00Z'), 0], [utc('2024-05-10T10:10Z'), 600], [utc('2024-05-10T10:10Z'), 600],
      [utc('2024-05-10T10:20Z'), 600], [utc('2024-05-10T10:40Z'), 600], [utc('2024-05-10T10:50Z'), 1800],
    ]);
    await buildAndCheck(store, '2024-05');
    expect(nonZero(await readSlots(store), '11')).toEqual({ '2024-05-10T10:00': 600, '2024-05-10T10:30': 1200 });
  });

  it('gives exactly 0 Wh in the month to curves that stopped charging before it (no phantom contributor)', async () => {
    // Charging ends before local midnight on 1 May (22:00Z), then the index stays flat: 0 Wh in May. The power
    // steps before the month cancel in floating point only up to ~1e-16 each, times the month's 2.7M s.
    for (let cp = 1; cp <= 12; cp++) {
      if (cp > 1) await addChargePoint(store, cp, '11', 7.2);
      const t = (hhmm: string) => utc(`2024-04-30T${hhmm}Z`);
      const k = cp * 7;
      await addCurve(store, cp, [
        [t('19:07'), 0], [t('19:31'), 2000 + k], [t('20:13'), 6000 + 3 * k], [t('21:47'), 11_000 + 11 * k],
        [t('22:30'), 11_000 + 11 * k], [t('23:10'), 11_000 + 11 * k],
      ]);
    }
    await buildAndCheck(store, '2024-05');
    const energies = await rows(store, 'select energy_wh from month_station_energy');
    expect(energies.map((r) => r.energy_wh)).toEqual(Array(12).fill(0));
  });

  it('interpolates across gaps of exactly 12 h', async () => {
    await addCurve(store, 1, [[utc('2024-05-10T00:00Z'), 0], [utc('2024-05-10T12:00Z'), 43200], [utc('2024-05-11T00:00Z'), 64800]]);
    await buildAndCheck(store, '2024-05');
    const slots = nonZero(await readSlots(store), '11');
    expect(Object.keys(slots)).toHaveLength(48);
    expect(slots['2024-05-10T00:00']).toBe(1800);
    expect(slots['2024-05-10T11:30']).toBe(1800);
    expect(slots['2024-05-10T12:00']).toBe(900);
    expect(slots['2024-05-10T23:30']).toBe(900);
  });

  it('handles sessions shorter than one slot', async () => {
    await addOperation(store, 1, utc('2024-05-10T10:05Z'), utc('2024-05-10T10:20Z'), 900);
    await addCurve(store, 1, [[utc('2024-05-10T10:35Z'), 0], [utc('2024-05-10T10:40Z'), 100], [utc('2024-05-10T10:55Z'), 400]]);
    await addCurve(store, 1, [[utc('2024-05-10T11:25Z'), 0], [utc('2024-05-10T11:35Z'), 600]]);
    await addCurve(store, 1, [[utc('2024-05-10T12:10Z'), 700]]); // a single point: no energy
    await buildAndCheck(store, '2024-05');
    expect(nonZero(await readSlots(store), '11')).toEqual({
      '2024-05-10T10:00': 900, '2024-05-10T10:30': 400, '2024-05-10T11:00': 300, '2024-05-10T11:30': 300,
    });
  });
});

describe('operations and months', () => {
  it('splits an operation crossing midnight at a month boundary between the two months', async () => {
    // 23:00 local on 31 May -> 01:00 local on 1 June, 7200 Wh at 1 Wh/s.
    await addOperation(store, 1, utc('2024-05-31T21:00Z'), utc('2024-05-31T23:00Z'), 7200);
    await buildAndCheck(store, '2024-05');
    expect(nonZero(await readSlots(store), '11')).toEqual({ '2024-05-31T21:00': 1800, '2024-05-31T21:30': 1800 });
    expect((await rows(store, 'select region_code, sessions from month_region_sessions')).map((r) => Number(r.sessions))).toEqual([1]);
    expect(Number((await rows(store, 'select sum(energy_wh) as e from month_station_energy'))[0].e)).toBe(3600);

    await buildAndCheck(store, '2024-06');
    expect(nonZero(await readSlots(store), '11')).toEqual({ '2024-05-31T22:00': 1800, '2024-05-31T22:30': 1800 });
    expect((await rows(store, 'select sessions from month_region_sessions')).map((r) => Number(r.sessions))).toEqual([0]);
    expect(Number((await rows(store, 'select sum(energy_wh) as e from month_station_energy'))[0].e)).toBe(3600);
  });

  it('puts charge points without region, or missing, under region_code null', async () => {
    await addChargePoint(store, 2, null, 22);
    await addOperation(store, 2, utc('2024-05-10T10:00Z'), utc('2024-05-10T10:30Z'), 1000);
    await addOperation(store, 99, utc('2024-05-10T10:30Z'), utc('2024-05-10T11:00Z'), 500); // no such charge point
    await buildAndCheck(store, '2024-05');
    const slots = await readSlots(store);
    expect(nonZero(slots, null)).toEqual({ '2024-05-10T10:00': 1000, '2024-05-10T10:30': 500 });
    expect(new Set(slots.map((r) => r.region_code))).toEqual(new Set([null]));
  });
});

describe('episodes and the uncontrolled counterfactual', () => {
  it('rebuilds a chain of three smart-charged operations and its counterfactual', async () => {
    // Gaps 2 h and 3 h (<= 4 h), span 9 h: one episode of 9000 Wh; P = 7.2 kW = 2 Wh/s -> 4500 s from 18:00Z.
    await addOperation(store, 1, utc('2024-05-14T18:00Z'), utc('2024-05-14T19:00Z'), 1800);
    await addOperation(store, 1, utc('2024-05-14T21:00Z'), utc('2024-05-14T22:00Z'), 3600);
    await addOperation(store, 1, utc('2024-05-15T01:00Z'), utc('2024-05-15T03:00Z'), 3600);
    // 5 h after the chain: a new episode, 900 Wh in 450 s.
    await addOperation(store, 1, utc('2024-05-15T08:00Z'), utc('2024-05-15T08:30Z'), 900);
    const stats = await buildAndCheck(store, '2024-05');
    const slots = await readSlots(store);
    expect(nonZero(slots, '11')).toEqual({
      '2024-05-14T18:00': 900, '2024-05-14T18:30': 900, '2024-05-14T21:00': 1800, '2024-05-14T21:30': 1800,
      '2024-05-15T01:00': 900, '2024-05-15T01:30': 900, '2024-05-15T02:00': 900, '2024-05-15T02:30': 900,
      '2024-05-15T08:00': 900,
    });
    expect(nonZero(slots, '11', 'cf_energy_wh')).toEqual({
      '2024-05-14T18:00': 3600, '2024-05-14T18:30': 3600, '2024-05-14T19:00': 1800, '2024-05-15T08:00': 900,
    });
    expect(stats).toMatchObject({ sessions: 4, episodes: 2, episodesWithoutCounterfactual: 0 });
    const episodes = await rows(store, 'select episodes, episodes_without_counterfactual as w from month_region_episodes');
    expect(episodes.map((r) => [Number(r.episodes), Number(r.w)])).toEqual([[2, 0]]);
  });

  it('cuts a long chain that began before the month as a run over its whole history would', async () => {
    // 1 h operations of 1800 Wh every 4 h from 2024-04-28T10:00Z to 2024-05-02T06:00Z: one island; cut greedily
    // from its first start, episodes start at 10:00Z each day (6 operations, span 21 h). The May run's margin
    // starts at 2024-04-29T22:00Z: cut from there, they would start at 22:00Z. Each profile: 10,800 Wh at 2 Wh/s.
    for (let t = utc('2024-04-28T10:00Z'); t <= utc('2024-05-02T06:00Z'); t += 4 * 3600) {
      await addOperation(store, 1, t, t + 3600, 1800);
    }
    await buildAndCheck(store, '2024-05');
    expect(nonZero(await readSlots(store), '11', 'cf_energy_wh')).toEqual({
      '2024-05-01T10:00': 3600, '2024-05-01T10:30': 3600, '2024-05-01T11:00': 3600,
    });
  });

  it('cuts chains longer than the 24 h span greedily', async () => {
    // 2 h operations every 5 h (gaps of 3 h): the 6th one would end 27 h after the first start.
    for (let i = 0; i < 6; i++) {
      await addOperation(store, 1, utc('2024-05-10T00:00Z') + i * 5 * 3600, utc('2024-05-10T02:00Z') + i * 5 * 3600, 3600);
    }
    const stats = await buildAndCheck(store, '2024-05');
    expect(stats.episodes).toBe(2);
    // Episode 1: 5 x 3600 Wh at 2 Wh/s = 9000 s from 00:00Z; episode 2: 3600 Wh in 1800 s from 01:00Z next day.
    const cf = nonZero(await readSlots(store), '11', 'cf_energy_wh');
    expect(cf).toEqual({
      '2024-05-10T00:00': 3600, '2024-05-10T00:30': 3600, '2024-05-10T01:00': 3600, '2024-05-10T01:30': 3600,
      '2024-05-10T02:00': 3600, '2024-05-11T01:00': 3600,
    });
  });

  it('falls back to the highest observed power, else leaves the episode as actual', async () => {
    await addChargePoint(store, 3, '11', null);
    // Observed mean powers 1 Wh/s and 3 Wh/s: P = 3 Wh/s, 5400 Wh in 1800 s from 10:00Z.
    await addOperation(store, 3, utc('2024-05-10T10:00Z'), utc('2024-05-10T11:00Z'), 3600);
    await addOperation(store, 3, utc('2024-05-10T12:00Z'), utc('2024-05-10T12:10Z'), 1800);
    // An instantaneous operation 10 h later, nominal power unknown: no P can be determined.
    await addOperation(store, 3, utc('2024-05-10T22:10Z'), utc('2024-05-10T22:10Z'), 500);
    const stats = await buildAndCheck(store, '2024-05');
    expect(stats).toMatchObject({ episodes: 2, episodesWithoutCounterfactual: 1 });
    const slots = await readSlots(store);
    expect(nonZero(slots, '11')).toEqual({ '2024-05-10T10:00': 1800, '2024-05-10T10:30': 1800, '2024-05-10T12:00': 1800, '2024-05-10T22:00': 500 });
    expect(nonZero(slots, '11', 'cf_energy_wh')).toEqual({ '2024-05-10T10:00': 5400, '2024-05-10T22:00': 500 });
  });

  it('uses the steepest curve segment when the nominal power is unknown', async () => {
    await addChargePoint(store, 4, '84', null);
    // Segments at 1 Wh/s then 0.5 Wh/s: P = 1 Wh/s, 2700 Wh in 2700 s from 10:00Z.
    await addCurve(store, 4, [[utc('2024-05-10T10:00Z'), 0], [utc('2024-05-10T10:30Z'), 1800], [utc('2024-05-10T11:00Z'), 2700]]);
    await buildAndCheck(store, '2024-05');
    expect(nonZero(await readSlots(store), '84', 'cf_energy_wh')).toEqual({ '2024-05-10T10:00': 1800, '2024-05-10T10:30': 900 });
  });
});
