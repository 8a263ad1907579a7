import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/database.js';
import { storeLayout } from '../../src/config/paths.js';
import { repoRoot, sharedDir } from '../helpers/cli.js';

/** Identifiers chosen for the test: long and unmistakable, so that any byte match is a real leftover. */
export const KNOWN = {
  users: ['usr-7f3c9e21-purge-alpha', 'usr-0a1b2c3d-purge-bravo'],
  stations: ['FR*PRG*E0001ALPHA', 'FR*PRG*E0002BRAVO', 'FR*PRG*E0003CHARLIE'],
  pdc: ['FRPRGP0001PDCX', 'FRPRGP0002PDCY', 'FRPRGP0003PDCZ'],
  transactions: ['tx-9b8e7d-0001-purge', 'tx-9b8e7d-0002-purge', 'tx-9b8e7d-0003-purge', 'tx-9b8e7d-0004-purge'],
  /** Only ever written to the WAL by a writer killed before its checkpoint. */
  walOnlyUser: 'usr-wal-only-5e6f7a8b-delta',
  /** Only in a log file and a stray file: individual files that are not in the store. */
  fileOnly: 'usr-file-only-9c8d7e6f-echo',
};

export function allKnownIdentifiers(): string[] {
  return [...KNOWN.users, ...KNOWN.stations, ...KNOWN.pdc, ...KNOWN.transactions, KNOWN.walOnlyUser, KNOWN.fileOnly];
}

export interface RealClientIds {
  users: string[];
  stations: string[];
  transactions: string[];
  files: string[];
}

/** The UserID / station / TransactionID triples of the captured real-client requests (README of the fixtures). */
export function readRealClientIds(): RealClientIds {
  const dir = path.join(sharedDir, 'fixtures', 'real-clients');
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name));
  const ids: RealClientIds = { users: [], stations: [], transactions: [], files };
  for (const file of files) {
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const [user, stations] of Object.entries(body)) {
      ids.users.push(user);
      for (const [station, value] of Object.entries(stations)) {
        ids.stations.push(station);
        const groups = Array.isArray(value) ? value : [value];
        for (const group of groups) ids.transactions.push(...Object.keys(group as object));
      }
    }
  }
  const unique = (list: string[]) => [...new Set(list)].sort();
  return { users: unique(ids.users), stations: unique(ids.stations), transactions: unique(ids.transactions), files };
}

/**
 * A store as ingest and a monthly run leave it, written through the store API: every individual table holds
 * the known identifiers, and every folder of the layout holds a file that names one.
 */
export async function seedDataDir(dataDir: string, realClients?: RealClientIds): Promise<void> {
  const store = await openStore(dataDir);
  const run = (sql: string, params?: Record<string, string | number>) => store.connection.run(sql, params as never);
  try {
    await run(`insert into ingest_batches values (1, 'inbox/ops-${KNOWN.users[0]}.json', 'abc', 'advenir-file', 'advenir-operation', 4, 4, 0, 1, null, now())`);
    for (let i = 0; i < KNOWN.stations.length; i += 1) {
      await run(
        `insert into charge_points values ($cp, $station, $user, $pdc, '75056', '75', '11', 22.0, date '2023-01-01', 'advenir-registration', now())`,
        { cp: i + 1, station: KNOWN.stations[i], user: KNOWN.users[i % 2], pdc: KNOWN.pdc[i] },
      );
    }
    for (let i = 0; i < KNOWN.transactions.length; i += 1) {
      const start = 1714600800 + i * 7200;
      await run(
        `insert into sessions values ($id, $user, $station, $tx, $cp, 'curve', $start, $stop, 1000, 8000, 7000, 3, 'advenir-file', 1, null)`,
        { id: i + 1, user: KNOWN.users[i % 2], station: KNOWN.stations[i % 3], tx: KNOWN.transactions[i], cp: (i % 3) + 1, start, stop: start + 3600 },
      );
      await run('insert into curve_points values ($id, $t0, 1000), ($id, $t1, 4000), ($id, $t2, 8000)', { id: i + 1, t0: start, t1: start + 1800, t2: start + 3600 });
    }
    const raw = JSON.stringify({ [KNOWN.users[1]]: { [KNOWN.stations[2]]: [{ 'tx-rejected-purge-77': [] }] } });
    await run(
      `insert into rejections (rejection_id, batch_id, code, message, user_id, station_id, transaction_id, raw_json, source_file, route, rejected_at)
       values (1, 1, 104, 'less than two points', $user, $station, 'tx-rejected-purge-77', $raw, 'inbox/x.json', 'advenir-file', now())`,
      { user: KNOWN.users[1], station: KNOWN.stations[2], raw },
    );
    if (realClients) await seedRealClients(run, realClients);
    // Kept: the carbon series and the runs' bookkeeping. The carbon file came from an inbox folder named by a
    // UserID: its path is rewritten by the purge (allow-list.ts), else the identifier would survive in it.
    await run(`insert into carbon_imports values (1, '/srv/data/inbox/${KNOWN.users[0]}/eco2mix-2024-05.csv', 'def', 'RTE eCO2mix', 'production', 1714514400, 1714516200, 2, 0, 0, now())`);
    await run(`insert into carbon_slots values ('production', 1714514400, 31.5, 51000.0, 1), ('production', 1714516200, 29.25, 50500.0, 1)`);
    await run(`insert into runs values (1, '2024-05', now(), now(), 'succeeded', '{"minStations":10,"minBeneficiaries":3}', '{"suppressed":{"min_stations":2}}')`);
    // A monthly run's intermediate table: individual, not on the allow-list, so deleted by default.
    await run('create table month_2024_05_station_energy as select station_id, user_id, sum(energy_wh) as energy_wh from sessions group by all');
  } finally {
    store.close();
  }
  writeIndividualFiles(dataDir, realClients);
  leaveWalWithIdentifier(dataDir);
}

async function seedRealClients(run: (sql: string, params?: Record<string, string | number>) => Promise<unknown>, ids: RealClientIds) {
  let cp = 100;
  for (const station of ids.stations) {
    cp += 1;
    await run(`insert into charge_points values ($cp, $station, $user, null, null, null, null, 22.0, null, 'advenir-registration', now())`, { cp, station, user: ids.users[0] });
  }
  let session = 1000;
  for (const tx of ids.transactions) {
    session += 1;
    const station = ids.stations[session % ids.stations.length];
    await run(`insert into sessions values ($id, $user, $station, $tx, 101, 'operation', 1513943810, 1513948132, 0, 17425, 17425, 2, 'webservice', 1, null)`, { id: session, user: ids.users[0], station, tx });
  }
}

function writeIndividualFiles(dataDir: string, realClients?: RealClientIds): void {
  const layout = storeLayout(dataDir);
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  const body = JSON.stringify({ [KNOWN.users[0]]: { [KNOWN.stations[0]]: [{ [KNOWN.transactions[0]]: { StartTransaction: 1, StopTransaction: 2 } }] } });
  write(path.join(layout.inboxDir, 'operations-2024-05.json'), body);
  write(path.join(layout.landingDir, '2024-05-02', 'req-000001.ndjson'), `${body}\n`);
  write(path.join(layout.serviceDir, 'operators.json'), JSON.stringify([{ login: 'op1', userIds: KNOWN.users, hash: 'scrypt$...' }]));
  write(path.join(layout.serviceDir, 'received-keys.idx'), `${KNOWN.users[1]}|${KNOWN.stations[1]}|${KNOWN.transactions[1]}\n`);
  write(path.join(layout.logsDir, 'serve-debug.log'), `debug accepted session of ${KNOWN.fileOnly} at ${KNOWN.stations[1]}\n`);
  write(path.join(layout.tmpDir, 'duckdb_temp_storage-0.tmp'), Buffer.concat([Buffer.alloc(4096), Buffer.from(KNOWN.pdc[1])]).toString('latin1'));
  write(path.join(dataDir, 'notes-for-operator.txt'), `call ${KNOWN.fileOnly}\n`);
  for (const file of realClients?.files ?? []) {
    write(path.join(layout.inboxDir, 'real-clients', path.basename(file)), fs.readFileSync(file, 'utf8'));
    write(path.join(layout.landingDir, 'real-clients', path.basename(file)), fs.readFileSync(file, 'utf8'));
  }
}

/**
 * A writer killed before its checkpoint leaves its rows in `pipeline.duckdb.wal` only: the purge must not
 * leave that file behind (nor replay it into the rebuilt store).
 */
function leaveWalWithIdentifier(dataDir: string): void {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(${JSON.stringify(storeLayout(dataDir).databaseFile)});
    const connection = await instance.connect();
    await connection.run("insert into rejections (rejection_id, code, message, user_id, rejected_at) values (2, 201, 'unknown', '${KNOWN.walOnlyUser}', now())");
    process.kill(process.pid, 'SIGKILL');`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  if (!fs.existsSync(`${storeLayout(dataDir).databaseFile}.wal`)) throw new Error('the seed expected a WAL file');
}

/** Writes a few report files (no identifier) and returns their sha256 by relative path. */
export function seedReports(reportsDir: string): void {
  const write = (relative: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(reportsDir, relative)), { recursive: true });
    fs.writeFileSync(path.join(reportsDir, relative), content);
  };
  write('2024-05/indicators.csv', 'month,region_code,stations,energy_kwh,suppressed\n2024-05,11,12,1234.5,false\n2024-05,84,,,true\n');
  write('2024-05/manifest.json', '{"month":"2024-05","suppressed":{"min_stations":1}}\n');
  write('2024-05/report.html', '<html><body><h1>2024-05</h1></body></html>\n');
}
