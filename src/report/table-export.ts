import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/database.js';
import { quoteIdentifier, quoteLiteral } from '../store/quote.js';
import { formatCsv, type CsvLocale, type CsvValue } from './csv-format.js';

/**
 * Exports one report table (a temp table made by sql/marts/report_*.sql) to CSV and/or Parquet.
 * Parquet keeps the SQL types (integers, doubles, booleans, timestamps, times); both files list the rows in
 * the same explicit order so that the same inputs give byte-identical files.
 */
export interface TableExport {
  table: string;
  /** Base name of the files, e.g. 'indicators' → indicators.csv, indicators.parquet. */
  baseName: string;
  orderBy: string;
  formats: Array<'csv' | 'parquet'>;
}

export async function exportTable(store: Store, spec: TableExport, dir: string, locale: CsvLocale): Promise<string[]> {
  const files: string[] = [];
  if (spec.formats.includes('csv')) {
    const file = `${spec.baseName}.csv`;
    fs.writeFileSync(path.join(dir, file), await tableAsCsv(store, spec, locale));
    files.push(file);
  }
  if (spec.formats.includes('parquet')) {
    const file = `${spec.baseName}.parquet`;
    // COPY takes no bound parameter for its path (house style: quote it with the helper). One row group of
    // a fixed size and a single thread keep the bytes stable from run to run.
    await store.connection.run(
      `copy (select * from ${quoteIdentifier(spec.table)} order by ${spec.orderBy}) to ${quoteLiteral(path.join(dir, file))}
       (format parquet, compression zstd, row_group_size 1000000)`,
    );
    files.push(file);
  }
  return files;
}

async function tableAsCsv(store: Store, spec: TableExport, locale: CsvLocale): Promise<string> {
  const columns = await describeTable(store, spec.table);
  const selectList = columns.map(({ name, type }) => `${csvExpression(quoteIdentifier(name), type)} as ${quoteIdentifier(name)}`);
  const reader = await store.connection.runAndReadAll(
    `select ${selectList.join(', ')} from ${quoteIdentifier(spec.table)} order by ${spec.orderBy}`,
  );
  return formatCsv(reader.columnNames(), reader.getRowsJS() as CsvValue[][], locale);
}

/** Times and timestamps as text in the CSV: ISO 8601 UTC for instants, HH:MM for local times of day. */
function csvExpression(column: string, type: string): string {
  if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(timezone('UTC', ${column}), '%Y-%m-%dT%H:%M:%SZ')`;
  if (type === 'TIME') return `left(${column}::varchar, 5)`;
  return column;
}

export async function describeTable(store: Store, table: string): Promise<Array<{ name: string; type: string }>> {
  const reader = await store.connection.runAndReadAll(`describe ${quoteIdentifier(table)}`);
  return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

export async function countRows(store: Store, table: string): Promise<number> {
  const reader = await store.connection.runAndReadAll(`select count(*) as n from ${quoteIdentifier(table)}`);
  return Number(reader.getRowObjectsJS()[0].n);
}
