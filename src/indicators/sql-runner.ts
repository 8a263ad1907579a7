import type { DuckDBConnection } from '@duckdb/node-api';
import { readSql } from '../store/sql-files.js';

/**
 * Runs the SQL models of sql/: the runner knows the order, the files hold the math (architecture.md).
 * Values reach SQL as DuckDB variables set from bound parameters (house style); `{{name}}` placeholders are
 * only ever filled with constant text chosen by the code (table names, window clauses), never with input.
 */
export type SqlVariableType = 'bigint' | 'double';

export async function setVariables(
  connection: DuckDBConnection,
  variables: Record<string, { value: number | null; type: SqlVariableType }>,
): Promise<void> {
  for (const [name, { value, type }] of Object.entries(variables)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL variable name '${name}'`);
    if (value === null) {
      await connection.run(`set variable ${name} = null::${type}`);
    } else {
      await connection.run(`set variable ${name} = cast($value as ${type})`, { value });
    }
  }
}

export function renderSql(relativePath: string, placeholders: Record<string, string> = {}): string {
  return readSql(relativePath).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const text = placeholders[key];
    if (text === undefined) throw new Error(`${relativePath}: no value for placeholder {{${key}}}`);
    return text;
  });
}

export async function runModel(
  connection: DuckDBConnection,
  relativePath: string,
  placeholders: Record<string, string> = {},
): Promise<void> {
  await connection.run(renderSql(relativePath, placeholders));
}

export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A count(*)-like value from DuckDB (bigint) as a number. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
