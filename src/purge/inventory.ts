import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../store/quote.js';
import { CERTIFICATE_JSON, CERTIFICATE_TXT, entriesKeptDuringPurge, isKeptTable, PURGED_MARKER, purgedTextColumns } from './allow-list.js';
import { walkFiles } from './durable-fs.js';
import { sha256File } from '../util/hash.js';

export interface TableCount {
  /** `schema.table` for tables outside `main`, else the bare table name. */
  name: string;
  rows: number;
}

export interface FolderCount {
  /** A top-level entry of the data dir (inbox, landing, service, logs, tmp, the database file...) or 'other'. */
  folder: string;
  files: number;
  bytes: number;
}

export interface KeptFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Top-level names of the fixed layout (paths.ts) that may be printed; anything else is reported as 'other'. */
const KNOWN_TOP_LEVEL = ['inbox', 'landing', 'service', 'logs', 'tmp'];

/** The printable name of a file's top-level entry in the data dir: a layout name, the database, or 'other'. */
export function folderOf(relative: string, databaseName: string): string {
  const top = relative.split('/')[0];
  return KNOWN_TOP_LEVEL.includes(top) || top.startsWith(databaseName) || top === PURGED_MARKER ? top : 'other';
}

/** Every base table of the store with its row count, split into kept (allow-list) and deleted. */
export async function countTables(connection: DuckDBConnection): Promise<{ kept: TableCount[]; deleted: TableCount[] }> {
  const reader = await connection.runAndReadAll(
    `select schema_name, table_name from duckdb_tables()
     where database_name = current_database() and not temporary
     order by schema_name, table_name`,
  );
  const kept: TableCount[] = [];
  const deleted: TableCount[] = [];
  for (const row of reader.getRowObjectsJS()) {
    const schema = String(row.schema_name);
    const table = String(row.table_name);
    const counted = await connection.runAndReadAll(`select count(*) as n from ${quoteIdentifier(schema)}.${quoteIdentifier(table)}`);
    const entry = { name: schema === 'main' ? table : `${schema}.${table}`, rows: Number(counted.getRowObjectsJS()[0].n) };
    (isKeptTable(schema, table) ? kept : deleted).push(entry);
  }
  return { kept, deleted };
}

/**
 * Files of the data dir that the purge deletes, counted per top-level folder. File names are not listed: a
 * landing or inbox file name can carry an identifier (privacy.md: no identifier in any output).
 * The database file itself is counted too: it is replaced by a rebuilt one.
 */
export function countDataFiles(dataDir: string, databaseName: string): { total: FolderCount; byFolder: FolderCount[] } {
  const bookkeeping = new Set(entriesKeptDuringPurge(databaseName).filter((name) => !name.startsWith(databaseName)));
  const folders = new Map<string, FolderCount>();
  for (const file of walkFiles(dataDir)) {
    if (bookkeeping.has(file.relative.split('/')[0])) continue;
    const folder = folderOf(file.relative, databaseName);
    const count = folders.get(folder) ?? { folder, files: 0, bytes: 0 };
    count.files += 1;
    count.bytes += file.bytes;
    folders.set(folder, count);
  }
  const byFolder = [...folders.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  const total = byFolder.reduce((sum, f) => ({ folder: 'total', files: sum.files + f.files, bytes: sum.bytes + f.bytes }), {
    folder: 'total',
    files: 0,
    bytes: 0,
  });
  return { total, byFolder };
}

/** Every report file with its sha256 (the purge's own certificate excluded): they must stay byte-identical. */
export function hashReports(reportsDir: string): KeptFile[] {
  return walkFiles(reportsDir)
    .filter((file) => file.relative !== CERTIFICATE_JSON && file.relative !== CERTIFICATE_TXT)
    
    .map((file) => ({ path: file.relative, bytes: file.bytes, sha256: sha256File(file.absolute) }));
}

/** Columns where the store recorded the path of a file it loaded. */
const SOURCE_PATH_COLUMNS = ['source_file', 'path'];

/**
 * Input files loaded from outside the data folder (`pipeline ingest /somewhere/file.json`) that still exist:
 * they hold individual data the purge cannot delete (it owns the data folder only), so the dry run and the
 * certificate count them for the operator. Counted, not named: a file name can carry an identifier.
 */
export async function countExternalInputs(connection: DuckDBConnection, dataDir: string): Promise<number> {
  const paths = new Set<string>();
  for (const { column, table } of await purgedTextColumns(connection, SOURCE_PATH_COLUMNS)) {
    const values = await connection.runAndReadAll(`select distinct ${column} as p from ${table} where ${column} is not null`);
    for (const value of values.getRowObjectsJS()) paths.add(String(value.p));
  }
  // Real paths: a folder of the data dir that is a symbolic link (an inbox on another disk) holds files the
  // purge does not delete (it removes the link), so they count as outside, not as deleted.
  const dataDirReal = realPath(dataDir);
  const inside = (file: string) => !path.relative(dataDirReal, realPath(file)).startsWith('..');
  return [...paths].filter((file) => path.isAbsolute(file) && fs.existsSync(file) && !inside(file)).length;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
