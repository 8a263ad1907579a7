import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listMigrations } from '../store/migrations.js';
import { quoteIdentifier, quoteLiteral } from '../store/quote.js';
import { KEPT_AGGREGATE_TABLES, KEPT_TABLES, keptColumnSql } from './allow-list.js';
import { walkFiles } from './durable-fs.js';
import type { Identifier } from './identifiers.js';

/** A text the purge keeps, and where it lives ('runs.manifest_json', or 'schema' for the catalog's SQL). */
export interface KeptText {
  source: string;
  text: string;
}

/** Where kept data hold an identifier: a kept column or a report file, the kind, how many distinct ones. */
export interface KeptLeak {
  where: string;
  kind: string;
  identifiers: number;
}

/**
 * Distinct text values of every kept table (small: carbon series kinds, run parameters and manifests), and the
 * schema's SQL (DuckDB stores view and table SQL in the file's catalog). Table names come from the allow-list's
 * constants, not from user input.
 */
export async function readKeptText(connection: DuckDBConnection): Promise<KeptText[]> {
  const kept = [...KEPT_TABLES, ...KEPT_AGGREGATE_TABLES];
  const catalog = await connection.runAndReadAll(
    `select sql from duckdb_tables() where database_name = current_database() and sql is not null
     union all select sql from duckdb_views() where database_name = current_database() and not internal and sql is not null`,
  );
  const texts: KeptText[] = catalog.getRowObjectsJS().map((row) => ({ source: 'schema', text: String(row.sql) }));
  texts.push(...listMigrations().map((migration) => ({ source: 'schema', text: migration.sql })));
  const columns = await connection.runAndReadAll(
    `select table_name, column_name from duckdb_columns()
     where database_name = current_database() and schema_name = 'main' and data_type = 'VARCHAR'
       and table_name in (${kept.map(quoteLiteral).join(', ')})
     order by table_name, column_name`,
  );
  for (const row of columns.getRowObjectsJS()) {
    // As the rebuilt store will hold it (allow-list.ts: file paths are rewritten).
    const column = keptColumnSql(String(row.table_name), String(row.column_name));
    const values = await connection.runAndReadAll(
      `select distinct ${column} as v from ${quoteIdentifier(String(row.table_name))} where ${column} is not null`,
    );
    const source = `${String(row.table_name)}.${String(row.column_name)}`;
    for (const value of values.getRowObjectsJS()) texts.push({ source, text: String(value.v) });
  }
  return texts;
}

/**
 * Before deleting anything: do the data the purge keeps (kept columns, report files) name an identifier? If so
 * the purge must stop, because afterwards the reports could no longer be recomputed without it (privacy.md: no
 * report contains an identifier). Only identifiers with a non-digit are judged, as whole tokens: a numeric
 * TransactionID equal to an energy in a CSV is a coincidence, a UserID between quotes is not.
 */
export function findKeptLeaks(candidates: Identifier[], keptText: KeptText[], reportsDir: string): KeptLeak[] {
  const judged = new Map(candidates.filter((id) => /[^0-9]/.test(id.value)).map((id) => [id.value, id.kind]));
  const leaks: KeptLeak[] = [];
  const record = (where: string, tokens: Iterable<string>) => {
    const found = new Map<string, Set<string>>();
    for (const token of tokens) {
      const kind = judged.get(token);
      if (kind) found.set(kind, (found.get(kind) ?? new Set()).add(token));
    }
    for (const [kind, ids] of [...found].sort()) leaks.push({ where, kind, identifiers: ids.size });
  };
  const bySource = new Map<string, string[]>();
  for (const kept of keptText.filter((k) => k.source !== 'schema')) bySource.set(kept.source, [...(bySource.get(kept.source) ?? []), kept.text]);
  for (const [source, texts] of bySource) record(source, texts.flatMap(tokenize));
  for (const file of walkFiles(reportsDir)) record(`reports/${file.relative}`, tokenize(fs.readFileSync(file.absolute).toString('latin1')));
  return leaks;
}

/**
 * Splits text (or binary read as latin1) on the characters that delimit values in JSON, CSV, HTML and binary
 * pages, but not on those identifiers use ('-', '*', '_', '.', '/'): one pass, whatever the number of identifiers.
 */
export function tokenize(text: string): string[] {
  return text.split(/[\s"',;:=<>{}[\]()|\\\x00-\x1f\x7f-\xff]+/).filter((token) => token.length > 0);
}
