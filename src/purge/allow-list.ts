import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../store/quote.js';

/**
 * What survives `pipeline purge`. Everything is an allow-list on purpose (purge issue): a table or a file that
 * someone adds later is individual by default and is deleted, unless it is added here with a reason.
 */

/**
 * Tables copied into the rebuilt store. None holds a UserID, StationID, TransactionID or id_pdc_itinerance:
 * - carbon_slots, carbon_imports: public carbon-intensity series and where they came from;
 * - runs: when each month was computed, with its parameters and manifest (counts of suppressed cells only);
 * - store_meta: facts about the store (purged_at);
 * - schema_migrations: which migrations the store has.
 */
export const KEPT_TABLES: readonly string[] = ['carbon_slots', 'carbon_imports', 'runs', 'store_meta', 'schema_migrations'];

/**
 * Kept columns rewritten on their way into the rebuilt store (SQL over the kept row). A file path is provenance
 * the programme no longer needs once purged, and a folder or file name can carry an identifier (an inbox sorted
 * by UserID): the carbon file is then known by its content's sha256 and its source name only.
 */
export const KEPT_COLUMN_REWRITES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  carbon_imports: { source_file: `'(purged; sha256 ' || source_sha256 || ')'` },
};

/** The SQL that reads a kept column as the rebuilt store will hold it. */
export function keptColumnSql(table: string, column: string): string {
  return KEPT_COLUMN_REWRITES[table]?.[column] ?? quoteIdentifier(column);
}

/**
 * Aggregated indicator tables that may be kept. Empty on purpose: an aggregate stored before disclosure control
 * can hold a cell made of one charge point or one beneficiary, which is individual data (privacy.md). The
 * published, suppressed reports are what the programme keeps. Add a table here only if every row of it passed
 * disclosure control.
 */
export const KEPT_AGGREGATE_TABLES: readonly string[] = [];

export function isKeptTable(schema: string, table: string): boolean {
  return schema === 'main' && (KEPT_TABLES.includes(table) || KEPT_AGGREGATE_TABLES.includes(table));
}

/** A text column of a table the purge deletes, as quoted SQL names. */
export interface PurgedColumn {
  column: string;
  /** Quoted `schema.table`. */
  table: string;
  /** The column's name as it is (unquoted). */
  name: string;
}

/** The VARCHAR columns with one of `names` in every table the purge deletes (including tables added later). */
export async function purgedTextColumns(connection: DuckDBConnection, names: readonly string[]): Promise<PurgedColumn[]> {
  const reader = await connection.runAndReadAll(
    `select c.schema_name, c.table_name, c.column_name
     from duckdb_columns() c
     join duckdb_tables() t using (database_name, schema_name, table_name)
     where c.database_name = current_database() and c.data_type = 'VARCHAR'
       and c.column_name in (${names.map(quoteLiteral).join(', ')})
     order by all`,
  );
  return reader
    .getRowObjectsJS()
    .filter((row) => !isKeptTable(String(row.schema_name), String(row.table_name)))
    .map((row) => ({
      column: quoteIdentifier(String(row.column_name)),
      table: `${quoteIdentifier(String(row.schema_name))}.${quoteIdentifier(String(row.table_name))}`,
      name: String(row.column_name),
    }));
}

/** The marker read by `pipeline serve` (which cannot open the store) and by anyone looking at the folder. */
export const PURGED_MARKER = 'PURGED.json';
/** Progress of an unfinished purge: a rerun resumes from it. Holds counts only, no identifier. */
export const STATE_FILE = 'purge-state.json';
/** The identifiers the verification looks for, hex-encoded; deleted before the certificate is written. */
export const SAMPLE_FILE = 'purge-sample.hex';
/** Holds the pid of the purge under way (lock.ts). */
export const LOCK_FILE = 'purge.lock';
/** The rebuilt database while it is being written. */
export const REBUILD_SUFFIX = '.purge-new';

/** The purge's own files, present only while a purge is under way; they hold no identifier in clear. */
export const PURGE_BOOKKEEPING: readonly string[] = [STATE_FILE, SAMPLE_FILE, LOCK_FILE];

/** Top-level names of a data dir that are kept after a purge (relative to the data dir). */
export function keptDataEntries(databaseName: string): string[] {
  return [databaseName, PURGED_MARKER];
}

/**
 * Entries left alone while a purge is under way: the old database (and its WAL) until the rebuild replaces it,
 * and the purge's own bookkeeping.
 */
export function entriesKeptDuringPurge(databaseName: string): string[] {
  return [databaseName, `${databaseName}.wal`, PURGED_MARKER, ...PURGE_BOOKKEEPING];
}

export const CERTIFICATE_JSON = 'purge-certificate.json';
export const CERTIFICATE_TXT = 'purge-certificate.txt';
