import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunParams } from '../../src/config/params.js';
import { buildCurveAggregates } from '../../src/indicators/curve-passes.js';
import { buildMonthModels, runDataTests } from '../../src/indicators/month-models.js';
import type { Store } from '../../src/store/database.js';
import { parseMonth } from '../../src/util/month.js';
import { addChargePoint, addCurve, addOperation, buildAndCheck, clearStore, createTestStore, nonZero, readSlots, utc } from './helpers.js';

// The data tests (sql/tests/assert_*.sql) must catch what they claim to catch, and stay quiet otherwise.
let store: Store;
let cleanup: () => void;
beforeAll(async () => ({ store, cleanup } = await createTestStore()));
afterAll(() => cleanup());
beforeEach(async () => {
  await clearStore(store);
  await addChargePoint(store, 1, '11', 3.6); // 1 Wh/s, limit with 10 % slack: 1981 Wh per slot
});

async function failingTests(): Promise<string[]> {
  try {
    await runDataTests(store);
    return [];
  } catch (error) {
    expect((error as { code: string }).code).toBe('DATA_TEST_FAILED');
    expect((error as Error).message).not.toMatch(/FR\*|U\d/); // counts, never identifiers
    return ((error as { details: { failures: Array<{ test: string }> } }).details.failures).map((f) => f.test);
  }
}

describe('data tests', () => {
  it('pass on consistent models', async () => {
    await addOperation(store, 1, utc('2024-05-10T10:00Z'), utc('2024-05-10T11:00Z'), 3600);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    expect(await failingTests()).toEqual([]);
  });

  it('catch lost or negative energy and misplaced slots', async () => {
    await addOperation(store, 1, utc('2024-05-10T10:00Z'), utc('2024-05-10T11:00Z'), 3600);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    await store.connection.run(`update month_cell_slots set energy_wh = -5, cf_energy_wh = cf_energy_wh + 1 where slot_s = ${utc('2024-05-10T10:00Z')}`);
    await store.connection.run(`insert into month_cell_slots values ('11', ${utc('2024-05-10T10:00Z') + 60}, 0, 0)`);
    expect(await failingTests()).toEqual([
      'assert_episode_energy_conserved', 'assert_month_energy_conserved', 'assert_no_negative_slot_energy', 'assert_slots_aligned',
    ]);
  });

  it('catch an operation that belongs to no episode', async () => {
    // 0 Wh, so that losing its episode changes no energy total: only the orphan check can see it.
    await addOperation(store, 1, utc('2024-05-10T10:00Z'), utc('2024-05-10T11:00Z'), 0);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    expect(await failingTests()).toEqual([]);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    await store.connection.run('delete from int_episodes where episode_id < 0'); // operation episode ids are negative
    expect(await failingTests()).toEqual(['assert_episode_energy_conserved']);
  });

  it('catch a session above the nominal power, exactly for operations and curves', async () => {
    // 3000 Wh in 30 min inside one slot: 3000 Wh > 1981 Wh.
    await addOperation(store, 1, utc('2024-05-10T10:00Z'), utc('2024-05-10T10:30Z'), 3000);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    expect(await failingTests()).toEqual(['assert_slot_energy_within_nominal_power']);
    await clearStore(store);
    await addChargePoint(store, 1, '11', 3.6);
    await addCurve(store, 1, [[utc('2024-05-10T10:00Z'), 0], [utc('2024-05-10T10:20Z'), 2500]]);
    await addCurve(store, 1, [[utc('2024-05-10T12:00Z'), 0], [utc('2024-05-10T12:20Z'), 500]]);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    expect(await failingTests()).toEqual(['assert_slot_energy_within_nominal_power']);
    // Also when the steep session gets no session sums (sampled path of national-scale months).
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams(), { sessionsCheckedInFull: 1 });
    expect(await failingTests()).toEqual(['assert_slot_energy_within_nominal_power']);
  });

  it('allow short spikes when no slot exceeds the nominal power', async () => {
    // 5 Wh/s for 60 s (above 1.1 Wh/s) but 300 + 900 Wh in the slot: within the limit.
    await addCurve(store, 1, [[utc('2024-05-10T10:00Z'), 0], [utc('2024-05-10T10:01Z'), 300], [utc('2024-05-10T10:16Z'), 1200]]);
    await addOperation(store, 1, utc('2024-05-10T11:50Z'), utc('2024-05-10T12:10Z'), 2400); // 1200 Wh per slot
    await buildAndCheck(store, '2024-05');
  });
});

describe('curve passes', () => {
  it('detects points stored out of order and redoes the pass with a sort', async () => {
    // Session ids 1 and 2 inserted in reverse order, and the points of session 2 backwards.
    const reverse = async (id: number, points: Array<[number, number]>) => {
      await store.connection.run(
        `insert into sessions values ($id, 'U1', 'FR*T*E1', $tx, 1, 'curve', $a, $b, $va, $vb, $e, $n, 'test', 1, null)`,
        { id, tx: `T${id}`, a: points[0][0], b: points[points.length - 1][0], va: points[0][1], vb: points[points.length - 1][1],
          e: points[points.length - 1][1] - points[0][1], n: points.length },
      );
      for (const [t, v] of [...points].reverse()) await store.connection.run('insert into curve_points values ($id, $t, $v)', { id, t, v });
    };
    await reverse(1000002, [[utc('2024-05-10T10:00Z'), 0], [utc('2024-05-10T10:30Z'), 900], [utc('2024-05-10T11:00Z'), 1800]]);
    await reverse(1000001, [[utc('2024-05-10T12:00Z'), 0], [utc('2024-05-10T12:45Z'), 1350]]);
    await buildMonthModels(store, parseMonth('2024-05'), defaultRunParams());
    expect((await buildCurveAggregates(store.connection)).storedInOrder).toBe(false);
    await runDataTests(store);
    expect(nonZero(await readSlots(store), '11')).toEqual({
      '2024-05-10T10:00': 900, '2024-05-10T10:30': 900, '2024-05-10T12:00': 900, '2024-05-10T12:30': 450,
    });
  });
});
