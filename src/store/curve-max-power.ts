import type { DuckDBConnection } from '@duckdb/node-api';
import { renderSql } from './sql-files.js';

/**
 * sessions.max_power_wh_per_s, the steepest segment of each curve (sql/migrations/006_curve_max_power.sql):
 * filled by ingest for each batch, by the bench generator, and by the monthly run for curves stored before the
 * column existed. One formula for all (sql/store/fill_curve_max_power.sql).
 */
export async function fillCurveMaxPower(
  connection: DuckDBConnection,
  range?: { firstSessionId: number; lastSessionId: number },
): Promise<void> {
  // The placeholder takes constant text only; the range bounds go as bound parameters.
  const sessions = range
    ? 'session_id between $first and $last'
    : `session_id in (select session_id from sessions where kind = 'curve' and max_power_wh_per_s is null)`;
  const sql = renderSql('store/fill_curve_max_power.sql', { sessions });
  if (range) await connection.run(sql, { first: range.firstSessionId, last: range.lastSessionId });
  else await connection.run(sql);
}

/** Fills the curves that lack their steepest power (stores from before 006); a cheap count when none does. */
export async function fillMissingCurveMaxPower(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(
    `select count(*) as n from sessions where kind = 'curve' and max_power_wh_per_s is null`,
  );
  const missing = Number(reader.getRowObjectsJS()[0].n);
  if (missing > 0) await fillCurveMaxPower(connection);
  return missing;
}
