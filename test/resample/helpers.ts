import { defaultRunParams, type RunParams } from '../../src/config/params.js';
import type { Store } from '../../src/store/database.js';
import { buildMonthModels, runDataTests } from '../../src/indicators/month-models.js';
import { parseMonth } from '../../src/util/month.js';
import { openTempStore } from '../helpers/store.js';

/** Test stores written directly in the store's format (001_initial.sql), bypassing ingest. */
export async function createTestStore(): Promise<{ store: Store; cleanup(): void }> {
  return openTempStore('resample', { threads: 2 });
}

export const utc = (iso: string): number => Date.parse(iso) / 1000;

export async function clearStore(store: Store): Promise<void> {
  await store.connection.run('delete from curve_points; delete from sessions; delete from charge_points;');
}

export async function addChargePoint(store: Store, cpId: number, regionCode: string | null, nominalKw: number | null): Promise<void> {
  await store.connection.run(
    `insert into charge_points (cp_id, station_id, user_id, region_code, nominal_power_kw, source, updated_at)
     values ($cp, $station, $user, $region, $kw, 'advenir-registration', now())`,
    { cp: cpId, station: `FR*T*E${cpId}`, user: `U${cpId % 3}`, region: regionCode, kw: nominalKw },
  );
}

let nextSessionId = 1;

async function insertSession(store: Store, cpId: number, kind: string, startS: number, stopS: number, startWh: number, stopWh: number, points: number): Promise<number> {
  const id = nextSessionId++;
  await store.connection.run(
    `insert into sessions values ($id, $user, $station, $tx, $cp, $kind, $start, $stop, $v0, $v1, $e, $n, 'test', 1, null)`,
    { id, user: `U${cpId % 3}`, station: `FR*T*E${cpId}`, tx: `T${id}`, cp: cpId, kind, start: startS, stop: stopS,
      v0: startWh, v1: stopWh, e: stopWh - startWh, n: points },
  );
  return id;
}

/** A curve session from [UNIX seconds, cumulative Wh] points, in time order. */
export async function addCurve(store: Store, cpId: number, points: Array<[number, number]>): Promise<number> {
  const first = points[0];
  const last = points[points.length - 1];
  const id = await insertSession(store, cpId, 'curve', first[0], last[0], first[1], last[1], points.length);
  const values = points.map((_, i) => `($id, $t${i}, $v${i})`).join(', ');
  const params: Record<string, number> = { id };
  points.forEach(([t, v], i) => {
    params[`t${i}`] = t;
    params[`v${i}`] = v;
  });
  await store.connection.run(`insert into curve_points values ${values}`, params);
  return id;
}

export async function addOperation(store: Store, cpId: number, startS: number, stopS: number, energyWh: number): Promise<number> {
  return insertSession(store, cpId, 'operation', startS, stopS, 1000, 1000 + energyWh, 2);
}

export async function buildAndCheck(store: Store, month: string, params: RunParams = defaultRunParams()) {
  const stats = await buildMonthModels(store, parseMonth(month), params);
  await runDataTests(store);
  return stats;
}

export interface SlotRow {
  region_code: string | null;
  slot_s: number;
  energy_wh: number;
  cf_energy_wh: number;
}

export async function readSlots(store: Store): Promise<SlotRow[]> {
  const reader = await store.connection.runAndReadAll('select * from month_cell_slots order by region_code nulls first, slot_s');
  return reader.getRowObjectsJS().map((r) => ({
    region_code: r.region_code as string | null,
    slot_s: Number(r.slot_s),
    energy_wh: Number(r.energy_wh),
    cf_energy_wh: Number(r.cf_energy_wh),
  }));
}

/** Non-zero slots of one region as {ISO slot start: Wh}, for readable goldens. */
export function nonZero(rows: SlotRow[], region: string | null, field: 'energy_wh' | 'cf_energy_wh' = 'energy_wh'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    if (row.region_code !== region || Math.abs(row[field]) < 1e-9) continue;
    out[new Date(row.slot_s * 1000).toISOString().slice(0, 16)] = Number(row[field].toFixed(6));
  }
  return out;
}

export async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await store.connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}
