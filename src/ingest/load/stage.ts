import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { ValidSession } from '../advenir/validate.js';

/**
 * Moves validated sessions (not their points: see points-file.ts) into a connection-local temporary table, in
 * bulk (data chunks through an appender), so that every decision needing the store (registry, duplicates, power)
 * is one SQL statement (issue 3 point 7).
 * Seconds and Wh are staged as DOUBLE (exact for integers below 2^53) and cast to BIGINT on insert: JS numbers
 * go into DOUBLE vectors without a bigint conversion per value.
 */
const CHUNK_ROWS = 2048;

export async function createStagingTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    create or replace temp table stg_sessions (
      seq integer, user_id varchar, station_id varchar, transaction_id varchar, kind varchar,
      start_s double, stop_s double, start_value_wh double, stop_value_wh double, point_count integer
    );`);
}

/** Stages sessions with seq = their index in `sessions`. A '' userId (platform records) is staged as null. */
export async function stageSessions(
  connection: DuckDBConnection,
  sessions: readonly ValidSession[],
  pointCounts?: readonly number[],
): Promise<void> {
  await appendColumns(
    connection,
    'stg_sessions',
    [INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE, DOUBLE, INTEGER],
    sessions.length,
    (from, to) => {
      const slice = sessions.slice(from, to);
      return [
        slice.map((_, i) => from + i),
        slice.map((s) => (s.userId === '' ? null : s.userId)),
        slice.map((s) => s.stationId),
        slice.map((s) => s.transactionId),
        slice.map((s) => s.kind),
        slice.map((s) => s.startS),
        slice.map((s) => s.stopS),
        slice.map((s) => s.startValueWh),
        slice.map((s) => s.stopValueWh),
        slice.map((s, i) => (s.kind === 'curve' ? (pointCounts?.[from + i] ?? s.points.length) : 2)),
      ];
    },
  );
}

/** Appends rows given column-wise, CHUNK_ROWS at a time. */
export async function appendColumns(
  connection: DuckDBConnection,
  table: string,
  types: DuckDBType[],
  rowCount: number,
  columnsOf: (from: number, to: number) => (string | number | boolean | null)[][],
): Promise<void> {
  const appender = await connection.createAppender(table, 'main', 'temp');
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    const to = Math.min(rowCount, from + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, to - from);
    chunk.setColumns(columnsOf(from, to));
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}
