import { sha256Hex } from '../util/hash.js';
import type { Store } from '../store/database.js';

/**
 * A fingerprint of the data a month's reports were made from (manifest.json): for each input, its row count
 * and an order-independent digest (bit_xor of DuckDB's row hash), all hashed with sha256. The same store
 * content gives the same fingerprint; any changed, added or removed row changes it. The inputs are the sessions
 * with energy in the month, the month's carbon slots and the registry. The month tables made by the resampling
 * are not hashed: they follow from these inputs, the product version and the parameters (all in the manifest),
 * and their energies are sums of doubles that DuckDB adds in a thread-dependent order, so even rounded they
 * changed the fingerprint between two identical runs at national scale (issue 4 bench, 1M sessions).
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
];

export async function inputFingerprint(store: Store): Promise<string> {
  const parts: string[] = [];
  for (const input of INPUTS) {
    const row = (await store.connection.runAndReadAll(input.sql)).getRowObjectsJS()[0];
    parts.push(`${input.name}:${String(row.n)}:${String(row.h ?? 0)}`);
  }
  return sha256Hex(parts.join('\n'));
}

