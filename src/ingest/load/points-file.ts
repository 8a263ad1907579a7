import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../store/quote.js';
import type { ValidSession } from '../advenir/validate.js';

/**
 * Curve points go to the store through a temporary CSV file read by DuckDB's parallel CSV reader: measured
 * several times faster than appending JS values chunk by chunk, which converts every value through N-API.
 * Only points of accepted sessions are written, already carrying their final session_id, in (session_id, ts_s)
 * order; the INSERT keeps that order (preserve_insertion_order, DuckDB's default). The file lives in the data
 * dir's tmp/ (private, and purged with the store) and is removed at once.
 */
const BUFFER_BYTES = 1 << 20;
const FILE_PREFIX = 'points-';

/** Points files left by a killed ingest (the store has a single writer, so none is in use when this runs). */
export function removeStalePointFiles(tmpDir: string): void {
  if (!fs.existsSync(tmpDir)) return;
  for (const name of fs.readdirSync(tmpDir)) {
    if (name.startsWith(FILE_PREFIX) && name.endsWith('.csv')) fs.rmSync(path.join(tmpDir, name), { force: true });
  }
}
/** Longest line: three integers of up to 16 digits and a sign, two commas, a newline. */
const MAX_LINE_BYTES = 3 * 17 + 3;

export async function insertCurvePoints(
  connection: DuckDBConnection,
  tmpDir: string,
  accepted: { session: ValidSession; sessionId: number }[],
  overlap?: () => void,
): Promise<number> {
  let total = 0;
  for (const a of accepted) total += a.session.points.length;
  if (total === 0) return 0;
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const file = path.join(tmpDir, `${FILE_PREFIX}${process.pid}-${Date.now()}.csv`);
  const fd = fs.openSync(file, 'w', 0o600);
  let open = true;
  try {
    writePointsCsv(fd, accepted);
    fs.closeSync(fd);
    open = false;
    const inserting = connection.run(
      `insert into curve_points
       select session_id, ts_s, value_wh
       from read_csv(${quoteLiteral(file)}, header = false, auto_detect = false, delim = ',',
           columns = {'session_id': 'BIGINT', 'ts_s': 'BIGINT', 'value_wh': 'BIGINT'})`,
    );
    // The statement runs in DuckDB's threads: the main thread may prepare the next file meanwhile.
    overlap?.();
    const result = await inserting;
    return Number(result.rowsChanged);
  } finally {
    // Closed once only: fd numbers are reused process-wide (DuckDB's own files included).
    if (open) fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

/**
 * Writes `session_id,ts_s,value_wh` lines as ASCII bytes directly: formatting numbers into JS strings and
 * joining them cost three times the CPU of DuckDB reading the file back.
 */
function writePointsCsv(fd: number, accepted: { session: ValidSession; sessionId: number }[]): void {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let at = 0;
  for (const { session, sessionId } of accepted) {
    const points = session.points;
    for (let i = 0; i < points.length; i++) {
      if (at > BUFFER_BYTES - MAX_LINE_BYTES) {
        fs.writeSync(fd, buffer, 0, at);
        at = 0;
      }
      at = writeInteger(buffer, at, sessionId);
      buffer[at++] = 44; // ','
      at = writeInteger(buffer, at, points[i].tsS);
      buffer[at++] = 44;
      at = writeInteger(buffer, at, points[i].valueWh);
      buffer[at++] = 10; // '\n'
    }
  }
  if (at > 0) fs.writeSync(fd, buffer, 0, at);
}

/** Writes an integer (|n| < 2^53) in decimal at `at`; returns the next free offset. */
export function writeInteger(buffer: Buffer, at: number, n: number): number {
  if (n < 0) {
    buffer[at++] = 45; // '-'
    n = -n;
  }
  if (n < 10) {
    buffer[at] = 48 + n;
    return at + 1;
  }
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits++;
  let end = at + digits;
  while (end > at) {
    const q = Math.floor(n / 10);
    buffer[--end] = 48 + (n - q * 10);
    n = q;
  }
  return at + digits;
}
