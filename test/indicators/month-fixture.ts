import type { Store } from '../../src/store/database.js';
export { openTempStore } from '../helpers/store.js';

/**
 * Hand-made inputs for the indicator and report tests: the four month tables that the resampling step
 * (buildMonthModels) creates, plus carbon slots and registry rows, so that every expected value can be
 * computed by hand.
 */
export interface SlotRow { region: string | null; slotS: number; energyWh: number; cfEnergyWh: number }
export interface StationRow { cpId: number; userId: string; region: string | null; energyWh: number }
export interface CarbonRow { slotS: number; gPerKwh: number; consumptionMw?: number }
export interface RegistryRow { cpId: number; region: string | null; inServiceDate?: string }

export interface MonthFixture {
  slots: SlotRow[];
  stations: StationRow[];
  sessions: Array<{ region: string | null; sessions: number }>;
  episodes?: Array<{ region: string | null; episodes: number; withoutCounterfactual: number }>;
  carbon?: { kind: string; source: string; rows: CarbonRow[] };
  registry?: RegistryRow[];
}


/** `persistent` makes the month tables ordinary tables, visible to another process that opens the store. */
export async function loadMonthFixture(store: Store, fixture: MonthFixture, options: { persistent?: boolean } = {}): Promise<void> {
  const c = store.connection;
  const kind = options.persistent ? 'table' : 'temp table';
  await c.run(`
    create or replace ${kind} month_cell_slots (region_code varchar, slot_s bigint, energy_wh double, cf_energy_wh double);
    create or replace ${kind} month_station_energy (cp_id integer, user_id varchar, region_code varchar, energy_wh double);
    create or replace ${kind} month_region_sessions (region_code varchar, sessions bigint);
    create or replace ${kind} month_region_episodes (region_code varchar, episodes bigint, episodes_without_counterfactual bigint);`);
  for (const r of fixture.slots) {
    await c.run('insert into month_cell_slots values ($r, $s, $e, $cf)', { r: r.region, s: r.slotS, e: r.energyWh, cf: r.cfEnergyWh });
  }
  for (const r of fixture.stations) {
    await c.run('insert into month_station_energy values ($cp, $u, $r, $e)', { cp: r.cpId, u: r.userId, r: r.region, e: r.energyWh });
  }
  for (const r of fixture.sessions) await c.run('insert into month_region_sessions values ($r, $n)', { r: r.region, n: r.sessions });
  for (const r of fixture.episodes ?? []) {
    await c.run('insert into month_region_episodes values ($r, $n, $w)', { r: r.region, n: r.episodes, w: r.withoutCounterfactual });
  }
  if (fixture.carbon) {
    await c.run(
      `insert into carbon_imports values (1, 'carbon.csv', 'sha', $source, $kind, null, null, 0, 0, 0, now())`,
      { source: fixture.carbon.source, kind: fixture.carbon.kind },
    );
    await c.run('create temp table carbon_input (slot_s bigint, g_per_kwh double, consumption_mw double)');
    const appender = await c.createAppender('carbon_input', 'main', 'temp');
    for (const r of fixture.carbon.rows) {
      appender.appendBigInt(BigInt(r.slotS));
      appender.appendDouble(r.gPerKwh);
      if (r.consumptionMw === undefined) appender.appendNull();
      else appender.appendDouble(r.consumptionMw);
      appender.endRow();
    }
    appender.closeSync();
    await c.run(`insert into carbon_slots select $kind, slot_s, g_per_kwh, consumption_mw, 1 from carbon_input`, { kind: fixture.carbon.kind });
    await c.run('drop table carbon_input');
  }
  for (const r of fixture.registry ?? []) {
    await c.run(
      `insert into charge_points (cp_id, station_id, region_code, in_service_date, source, updated_at)
       values ($cp, $station, $region, $date::date, 'irve-static', now())`,
      { cp: r.cpId, station: `FRXXXE${r.cpId}`, region: r.region, date: r.inServiceDate ?? null },
    );
  }
}

/** UNIX seconds of an ISO UTC time. */
export function utc(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** Every slot of [startS, endS) with the same intensity, then the given overrides. */
export function flatCarbon(startS: number, endS: number, gPerKwh: number, overrides: CarbonRow[] = [], consumptionMw?: number): CarbonRow[] {
  const byslot = new Map<number, CarbonRow>();
  for (let s = startS; s < endS; s += 1800) byslot.set(s, { slotS: s, gPerKwh, consumptionMw });
  for (const row of overrides) byslot.set(row.slotS, row);
  return [...byslot.values()];
}
