import type { Store } from '../../src/store/database.js';
import { parseMonth } from '../../src/util/month.js';
import { flatCarbon, loadMonthFixture, utc, type MonthFixture } from '../indicators/month-fixture.js';

/**
 * A May 2024 month with two published regions (11, 84), one below the thresholds (93, which drags 11 along
 * as secondary) and identifiers that look like the real ones, so that the leak test can search for them.
 */
export const MAY = parseMonth('2024-05');
export const SECRET_USERS = ['FRABCU123456789', 'FRXYZU987654321', 'FRQQQU555555555', 'FRWWWU111111111', 'FRSIREN42'];
export const SECRET_STATION = (cp: number) => `FRABCE${String(cp).padStart(6, '0')}`;
export const SECRET_PDC = (cp: number) => `FRIRVEP${String(cp).padStart(7, '0')}`;
export const SECRET_TRANSACTION = (cp: number) => `TX-7F3A9-${cp}`;

function contributions(region: string, users: number, count: number, energyWh: number, firstCp: number) {
  return Array.from({ length: count }, (_, i) => ({ cpId: firstCp + i, userId: SECRET_USERS[i % users], region, energyWh }));
}

export function mayFixture(): MonthFixture {
  const stations = [
    ...contributions('11', 4, 12, 1000, 100),
    ...contributions('84', 5, 20, 3000, 200),
    ...contributions('93', 3, 3, 500, 300),
  ];
  const slots = [];
  for (const [region, energyWh] of [['11', 12000], ['84', 60000], ['93', 1500]] as const) {
    // Half of each region's energy on a Tuesday evening peak slot, half on the following night.
    slots.push({ region, slotS: utc('2024-05-14T16:30:00Z'), energyWh: energyWh / 2, cfEnergyWh: energyWh });
    slots.push({ region, slotS: utc('2024-05-14T22:00:00Z'), energyWh: energyWh / 2, cfEnergyWh: 0 });
  }
  return {
    stations,
    slots,
    sessions: [{ region: '11', sessions: 12 }, { region: '84', sessions: 20 }, { region: '93', sessions: 3 }],
    episodes: [{ region: '11', episodes: 12, withoutCounterfactual: 0 }, { region: '84', episodes: 20, withoutCounterfactual: 2 }],
    carbon: { kind: 'consumption', source: 'ODRE', rows: flatCarbon(MAY.startS, MAY.endS, 42.5) },
    registry: stations.map((row) => ({ cpId: row.cpId, region: row.region })),
  };
}

/** Loads the fixture plus raw rows (sessions, rejections, registry ids) that carry every kind of identifier. */
export async function loadMayStore(store: Store, options: { persistent?: boolean } = {}): Promise<void> {
  const fixture = mayFixture();
  await loadMonthFixture(store, fixture, options);
  const c = store.connection;
  await c.run(`update charge_points set station_id = 'FRABCE' || lpad(cp_id::varchar, 6, '0'),
    id_pdc_itinerance = 'FRIRVEP' || lpad(cp_id::varchar, 7, '0'), user_id = 'FRSIREN42'`);
  await c.run(`insert into ingest_batches values (1, '/inbox/FRABCU123456789-may.json', 'sha', 'advenir-file', 'advenir-curve', 38, 35, 1, 2, null, now())`);
  for (const row of fixture.stations) {
    await c.run(
      `insert into sessions values ($cp, $user, $station, $tx, $cp, 'operation', $start, $stop, 0, $e, $e, 2, 'advenir-file', 1, null)`,
      { cp: row.cpId, user: row.userId, station: SECRET_STATION(row.cpId), tx: SECRET_TRANSACTION(row.cpId), start: utc('2024-05-14T16:30:00Z'), stop: utc('2024-05-14T22:30:00Z'), e: row.energyWh },
    );
  }
  for (const [i, code] of [201, 203].entries()) {
    await c.run(
      `insert into rejections (rejection_id, batch_id, code, message, user_id, station_id, transaction_id, start_s, stop_s, raw_json, source_file, route, rejected_at)
       values ($id, 1, $code, 'StationID FRABCE000999 unknown', 'FRABCU123456789', 'FRABCE000999', 'TX-REJ-1', $start, $start + 3600, '{"UserID":"FRABCU123456789"}', '/inbox/x.json', 'advenir-file', now())`,
      { id: i + 1, code, start: utc('2024-05-20T08:00:00Z') },
    );
  }
}
