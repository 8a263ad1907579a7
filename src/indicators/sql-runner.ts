import type { DuckDBConnection } from '@duckdb/node-api';
import { renderSql } from '../store/sql-files.js';

export { renderSql };

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


export async function runModel(
  connection: DuckDBConnection,
  relativePath: string,
  placeholders: Record<string, string> = {},
): Promise<void> {
  await timed(relativePath, () => connection.run(renderSql(relativePath, placeholders)));
}

/** PIPELINE_PROFILE=1: wall and process CPU seconds of each step on stderr (performance.md breakdowns). */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!process.env.PIPELINE_PROFILE) return fn();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    process.stderr.write(`profile ${label}: ${((performance.now() - started) / 1000).toFixed(3)} s wall, `
      + `${((used.user + used.system) / 1e6).toFixed(3)} s cpu\n`);
  }
}

export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A count(*)-like value from DuckDB (bigint) as a number. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
