import type { DuckDBConnection } from '@duckdb/node-api';
import { readSql } from './sql-files.js';

/**
 * sessions.max_power_wh_per_s, the steepest segment of each curve (sql/migrations/006_curve_max_power.sql):
 * filled by ingest for each batch, by the bench generator, and by the monthly run for curves stored before the
 * column existed. One formula for all (sql/store/fill_curve_max_power.sql).
 */
export async function fillCurveMaxPower(
  connection: DuckDBConnection,
  range?: { firstSessionId: number; lastSessionId: number },
): Promise<void> {
  // The range bounds are integers from the store, written as text like the rest of the code's constants.
  const sessions = range
    ? `session_id between ${Math.trunc(range.firstSessionId)} and ${Math.trunc(range.lastSessionId)}`
    : `session_id in (select session_id from sessions where kind = 'curve' and max_power_wh_per_s is null)`;
  await connection.run(readSql('store/fill_curve_max_power.sql').replaceAll('{{sessions}}', sessions));
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
