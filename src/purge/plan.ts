import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Paths } from '../config/paths.js';
import { storeLayout } from '../config/paths.js';
import { AppError } from '../errors.js';
import { openStore } from '../store/database.js';
import { countDataFiles, countExternalInputs, countTables, hashReports, type TableCount } from './inventory.js';
import { sampleIdentifiers, type Identifier, type SampledIdentifiers } from './identifiers.js';
import { findKeptLeaks, readKeptText, type KeptLeak } from './kept-check.js';
import type { PurgePlan } from './state.js';

/** What `pipeline purge --dry-run` prints: the plan without the identifier sample. Changes nothing. */
export interface DryRun {
  dataDir: string;
  reportsDir: string;
  deleted: { tables: TableCount[]; files: PurgePlan['deletedFiles'] };
  kept: { tables: TableCount[]; reports: { files: number; bytes: number } };
  /** Input files loaded from outside the data folder that still exist: the operator deletes them. */
  notCovered: { externalInputFiles: number };
  /** Kept columns or report files that name an identifier: `pipeline purge` would refuse (see kept-check.ts). */
  keptDataUnsafe: KeptLeak[];
}

export async function dryRun(paths: Paths): Promise<DryRun> {
  assertSeparateFolders(paths);
  const layout = storeLayout(paths.dataDir);
  const { tables, externalInputFiles, keptDataUnsafe } = fs.existsSync(layout.databaseFile)
    ? await readOnly(layout.databaseFile, async (connection) => ({
        tables: await countTables(connection),
        externalInputFiles: await countExternalInputs(connection, paths.dataDir),
        keptDataUnsafe: (await checkKeptData(connection, paths.reportsDir)).leaks,
      }))
    : { tables: { kept: [], deleted: [] }, externalInputFiles: 0, keptDataUnsafe: [] };
  const reports = hashReports(paths.reportsDir);
  return {
    dataDir: paths.dataDir,
    reportsDir: paths.reportsDir,
    deleted: { tables: tables.deleted, files: countDataFiles(paths.dataDir, path.basename(layout.databaseFile)) },
    kept: { tables: tables.kept, reports: { files: reports.length, bytes: reports.reduce((sum, f) => sum + f.bytes, 0) } },
    notCovered: { externalInputFiles },
    keptDataUnsafe,
  };
}

/** Measures everything the certificate will report and takes the identifier sample, before any deletion. */
export async function makePlan(paths: Paths): Promise<{ plan: PurgePlan; sample: Identifier[] }> {
  assertSeparateFolders(paths);
  const store = await openStore(paths.dataDir);
  let tables: Awaited<ReturnType<typeof countTables>>;
  let sampled: SampledIdentifiers;
  let externalInputFiles: number;
  try {
    tables = await countTables(store.connection);
    const checked = await checkKeptData(store.connection, paths.reportsDir);
    if (checked.leaks.length > 0) throw keptDataUnsafe(checked.leaks);
    sampled = checked.sampled;
    externalInputFiles = await countExternalInputs(store.connection, paths.dataDir);
  } finally {
    store.close();
  }
  const plan: PurgePlan = {
    deletedTables: tables.deleted,
    keptTables: tables.kept,
    deletedFiles: countDataFiles(paths.dataDir, path.basename(storeLayout(paths.dataDir).databaseFile)),
    keptReports: hashReports(paths.reportsDir),
    sample: sampled.summary,
    externalInputFiles,
  };
  return { plan, sample: sampled.sample };
}

async function checkKeptData(connection: DuckDBConnection, reportsDir: string): Promise<{ sampled: SampledIdentifiers; leaks: KeptLeak[] }> {
  const keptText = await readKeptText(connection);
  const sampled = await sampleIdentifiers(connection, keptText);
  return { sampled, leaks: findKeptLeaks(sampled.candidates, keptText, reportsDir) };
}

function keptDataUnsafe(leaks: KeptLeak[]): AppError {
  return new AppError(
    'PURGE_KEPT_DATA_UNSAFE',
    `nothing was deleted: data the purge would keep name identifiers (${leaks.map((l) => `${l.where}: ${l.identifiers} ${l.kind}`).join('; ')}); ` +
      'fix or regenerate them while the individual data still exist, then purge',
    { details: { leaks } },
  );
}

/** Read-only, so that a dry run writes neither a migration, nor a WAL, nor a temporary file. */
async function readOnly<T>(databaseFile: string, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(databaseFile, { access_mode: 'READ_ONLY' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = /lock/i.test(message) ? 'STORE_LOCKED' : 'STORE_ERROR';
    throw new AppError(code, `cannot open the store ${databaseFile} read-only: ${message}`, { cause: error });
  }
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The purge deletes everything in the data folder that is not on the allow-list: a reports folder inside it
 * would be deleted, and a data folder inside the reports folder would change the reports. Both are refused.
 */
export function assertSeparateFolders(paths: Paths): void {
  const inside = (child: string, parent: string) => {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  if (inside(paths.reportsDir, paths.dataDir) || inside(paths.dataDir, paths.reportsDir)) {
    throw new AppError('USAGE', 'the reports folder and the data folder must not contain each other for a purge', {
      details: { dataDir: paths.dataDir, reportsDir: paths.reportsDir },
    });
  }
}
