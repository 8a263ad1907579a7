import { sha256Hex } from '../util/hash.js';
import type { Store } from '../store/database.js';

/**
 * A fingerprint of the data a month's reports were made from (manifest.json): for each input, its row count
 * and an order-independent digest (bit_xor of DuckDB's row hash), all hashed with sha256. The same store
 * content gives the same fingerprint; any changed, added or removed row changes it. The inputs are the sessions
 * with energy in the month, the month's carbon slots, the registry, and the month tables made by the resampling.
 * Their energies are sums of doubles that DuckDB adds in a thread-dependent order (the last bits differ from run to
 * run, issue 9 crash test): they are hashed rounded to the mWh, so the same inputs give the same fingerprint.
 */
const INPUTS: Array<{ name: string; sql: string }> = [
  {
    name: 'sessions',
    sql: `select count(*) as n, bit_xor(hash(session_id, cp_id, kind, start_s, stop_s, energy_wh, point_count)) as h
          from sessions where stop_s > getvariable('month_start_s') and start_s < getvariable('month_end_s')`,
  },
  {
    name: 'carbon_slots',
    sql: `select count(*) as n, bit_xor(hash(kind, slot_s, g_per_kwh, consumption_mw)) as h
          from carbon_slots where slot_s >= getvariable('month_start_s') and slot_s < getvariable('month_end_s')`,
  },
  {
    name: 'charge_points',
    sql: `select count(*) as n, bit_xor(hash(cp_id, region_code, nominal_power_kw, in_service_date)) as h from charge_points`,
  },
  {
    name: 'month_cell_slots',
    sql: `select count(*) as n, bit_xor(hash(region_code, slot_s, round(energy_wh, 3), round(cf_energy_wh, 3))) as h from month_cell_slots`,
  },
  {
    name: 'month_station_energy',
    sql: `select count(*) as n, bit_xor(hash(cp_id, user_id, region_code, round(energy_wh, 3))) as h from month_station_energy`,
  },
];

export async function inputFingerprint(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const input of INPUTS) {
    const row = (await store.connection.runAndReadAll(input.sql)).getRowObjectsJS()[0];
    parts.push(`${input.name}:${String(row.n)}:${String(row.h ?? 0)}`);
  }
  return sha256Hex(parts.join('\n'));
}

