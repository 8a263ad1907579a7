import fs from 'node:fs/promises';
import path from 'node:path';
import { storeLayout } from '../config/paths.js';
import { DEFAULT_POWER_TOLERANCE } from '../ingest/load/classify.sql.js';
import type { Store } from '../store/database.js';
import { ensurePrivateDir } from '../util/private-dir.js';
import { keyDigest } from '../util/key-digest.js';
import { writeFileDurable } from './durable-fs.js';

/**
 * The registry's nominal powers as the web service sees them, so that it answers 208 (mean power above what the
 * charge point can deliver) in the answer instead of accepting a session the load then refuses (seed §4: the
 * operator learns of the error when it sends). The service never opens the store (one writing process:
 * architecture.md), so `registry import` and `run` write this snapshot into the service folder and the service
 * re-reads it when it changes.
 *
 * Only what the load's rule decides the same way from an exact StationID is kept (src/ingest/load/classify.sql.ts):
 * per registered (UserID, StationID), the power of the point a session of that beneficiary takes (its own
 * registration or the IRVE point of that id, lowest cp_id first); per IRVE id, that point's power. A session the
 * snapshot does not know (a StationID matched only without case or `*`, an unregistered point) is left to the load.
 * Keys are digests (util/key-digest.ts): the file holds no identifier in clear, and the purge deletes it with the
 * service folder.
 */
export const REGISTRY_POWERS_FILE = 'registry-powers.json';

interface RegistryPowersFile {
  format: 'registry-powers';
  version: 1;
  /** Mean power above nominal x tolerance is 208; the load's default (`--power-tolerance` can change the load's). */
  tolerance: number;
  /** Digest -> nominal kW, or null when the point's power is unknown (then no nominal rule applies). */
  points: Record<string, number | null>;
}

/** The two digests a session may be found under: its beneficiary's registered point, then the IRVE point. */
export function registryPointKeys(userId: string, stationId: string): [registered: string, irve: string] {
  return [registeredPointKey(userId, stationId), irvePointKey(stationId)];
}

const registeredPointKey = (userId: string, stationId: string) => keyDigest(['rp', userId, stationId]);
const irvePointKey = (stationId: string) => keyDigest(['ip', stationId]);

const SNAPSHOT_SQL = `
with own as (
    -- A beneficiary's session takes, among its own registrations and the IRVE points of that id, the lowest
    -- cp_id (classify.sql.ts, preference 0).
    select r.user_id, r.station_id, arg_min_null(c.nominal_power_kw, c.cp_id) as kw
    from (select distinct user_id, station_id from charge_points
          where source = 'advenir-registration' and user_id is not null) as r
    join charge_points as c
        on c.station_id = r.station_id and (c.source = 'irve-static' or c.user_id = r.user_id)
    group by r.user_id, r.station_id
),
irve as (
    select station_id, arg_min_null(nominal_power_kw, cp_id) as kw
    from charge_points where source = 'irve-static'
    group by station_id
)
select 'rp' as kind, user_id, station_id, kw from own
union all
select 'ip', null, station_id, kw from irve`;

/** Writes the snapshot atomically into the data dir's service folder; returns the number of points. */
export async function writeRegistryPowers(store: Store): Promise<number> {
  const reader = await store.connection.runAndReadAll(SNAPSHOT_SQL);
  const points: Record<string, number | null> = {};
  for (const [kind, userId, stationId, kw] of reader.getRowsJS()) {
    const key = kind === 'rp' ? registeredPointKey(String(userId), String(stationId)) : irvePointKey(String(stationId));
    points[key] = typeof kw === 'number' && kw > 0 ? kw : null;
  }
  const serviceDir = storeLayout(store.dataDir).serviceDir;
  ensurePrivateDir(serviceDir);
  const file: RegistryPowersFile = { format: 'registry-powers', version: 1, tolerance: DEFAULT_POWER_TOLERANCE, points };
  await writeFileDurable(serviceDir, REGISTRY_POWERS_FILE, JSON.stringify(file));
  return Object.keys(points).length;
}

/**
 * Writes the snapshot when the service folder has none (a store whose registry was imported before this file
 * existed): `pipeline run` calls it, so that the service answers 208 without waiting for the next import.
 */
export async function ensureRegistryPowers(dataDir: string): Promise<void> {
  const file = path.join(storeLayout(dataDir).serviceDir, REGISTRY_POWERS_FILE);
  if (await fs.stat(file).then(() => true, () => false)) return;
  // Loaded here only: the service imports this module for RegistryPowers and never opens the store.
  const { openStore } = await import('../store/database.js');
  const store = await openStore(dataDir);
  try {
    await writeRegistryPowers(store);
  } finally {
    store.close();
  }
}

/** How often the service looks whether the snapshot changed (one stat per interval, on a request). */
const RECHECK_MS = 1000;

/** The service's view of the snapshot: re-read when its file changes; empty (no answer-time 208) without one. */
export class RegistryPowers {
  private points = new Map<string, number | null>();
  private tolerance = DEFAULT_POWER_TOLERANCE;
  private seen = '';
  private checkedAt = -Infinity;

  private constructor(private readonly file: string) {}

  static async open(serviceDir: string): Promise<RegistryPowers> {
    const powers = new RegistryPowers(path.join(serviceDir, REGISTRY_POWERS_FILE));
    await powers.refresh();
    return powers;
  }

  get size(): number {
    return this.points.size;
  }

  /** Re-reads the file when its size or mtime changed, at most once per RECHECK_MS. */
  async refresh(nowMs = Date.now()): Promise<void> {
    if (nowMs - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = nowMs;
    const stat = await fs.stat(this.file).catch(() => undefined);
    const signature = stat ? `${stat.size}:${stat.mtimeMs}` : '';
    if (signature === this.seen) return;
    const parsed = stat ? await readSnapshot(this.file) : undefined;
    this.points = new Map(Object.entries(parsed?.points ?? {}));
    this.tolerance = parsed?.tolerance ?? DEFAULT_POWER_TOLERANCE;
    this.seen = parsed ? signature : '';
  }

  /** The highest plausible mean power (kW) of a session on this point, or undefined when the load must decide. */
  limitKw(keys: [string, string]): number | undefined {
    const [registered, irve] = keys;
    const kw = this.points.has(registered) ? this.points.get(registered) : this.points.get(irve);
    return typeof kw === 'number' ? kw * this.tolerance : undefined;
  }
}

/** A snapshot that cannot be read is ignored (the load still decides 208): never a reason to refuse requests. */
async function readSnapshot(file: string): Promise<RegistryPowersFile | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<RegistryPowersFile>;
    if (parsed.format !== 'registry-powers' || parsed.version !== 1 || typeof parsed.points !== 'object' || parsed.points === null) return undefined;
    return { format: 'registry-powers', version: 1, tolerance: Number(parsed.tolerance) > 0 ? Number(parsed.tolerance) : DEFAULT_POWER_TOLERANCE, points: parsed.points };
  } catch {
    return undefined;
  }
}
