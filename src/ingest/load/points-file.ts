import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../store/quote.js';
import type { ValidSession } from '../advenir/validate.js';

/**
 * Curve points go to the store through a temporary CSV file read by DuckDB's parallel CSV reader: measured
 * several times faster than appending JS values chunk by chunk, which converts every value through N-API.
 * The CSV (`seq,ts_s,value_wh`, seq = the session's index in its batch) is built before the load-time rules run,
 * possibly in a worker thread (prepare-pool.ts); the INSERT maps seq to session_id. The file lives in the data
 * dir's tmp/ (private, and purged with the store) and is removed at once.
 */
const BUFFER_BYTES = 1 << 20;
const FILE_PREFIX = 'points-';
/** Longest line: three integers of up to 16 digits and a sign, two commas, a newline. */
const MAX_LINE_BYTES = 3 * 17 + 3;

/** Points files left by a killed ingest (the store has a single writer, so none is in use when this runs). */
export function removeStalePointFiles(tmpDir: string): void {
  if (!fs.existsSync(tmpDir)) return;
  for (const name of fs.readdirSync(tmpDir)) {
    if (name.startsWith(FILE_PREFIX) && name.endsWith('.csv')) fs.rmSync(path.join(tmpDir, name), { force: true });
  }
}

/**
 * The points of all sessions as `seq,ts_s,value_wh` ASCII lines, in (seq, ts_s) order. Numbers are written as
 * bytes directly: formatting them into JS strings and joining cost three times the CPU of DuckDB reading them.
 */
export function buildPointsCsv(sessions: readonly ValidSession[]): Uint8Array {
  const chunks: Buffer[] = [];
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let at = 0;
  const line = (seq: number, tsS: number, valueWh: number) => {
    if (at > BUFFER_BYTES - MAX_LINE_BYTES) {
      chunks.push(buffer.subarray(0, at));
      buffer = Buffer.allocUnsafe(BUFFER_BYTES);
      at = 0;
    }
    at = writeInteger(buffer, at, seq);
    buffer[at++] = 44; // ','
    at = writeInteger(buffer, at, tsS);
    buffer[at++] = 44;
    at = writeInteger(buffer, at, valueWh);
    buffer[at++] = 10; // '\n'
  };
  for (let seq = 0; seq < sessions.length; seq++) {
    const packed = sessions[seq].packedPoints;
    if (packed) {
      for (let i = 0; i < packed.tsS.length; i++) line(seq, packed.tsS[i], packed.valueWh[i]);
    } else {
      const points = sessions[seq].points;
      for (let i = 0; i < points.length; i++) line(seq, points[i].tsS, points[i].valueWh);
    }
  }
  chunks.push(buffer.subarray(0, at));
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/**
 * Inserts the points of the accepted sessions of the batch (stg_outcome). When every staged session was accepted,
 * session_id = firstId + seq: a projection that keeps the file's (seq, ts_s) order with no sort. Otherwise the
 * points of refused sessions are dropped by a join and the order is restored by a sort.
 */
export async function insertCurvePoints(
  connection: DuckDBConnection,
  tmpDir: string,
  csv: Uint8Array,
  mapping: { allAccepted: boolean; firstId: number },
): Promise<number> {
  if (csv.length === 0) return 0;
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  const file = path.join(tmpDir, `${FILE_PREFIX}${process.pid}-${Date.now()}.csv`);
  try {
    fs.writeFileSync(file, csv, { mode: 0o600 });
    const source = `read_csv(${quoteLiteral(file)}, header = false, auto_detect = false, delim = ',',
        columns = {'seq': 'INTEGER', 'ts_s': 'BIGINT', 'value_wh': 'BIGINT'})`;
    const result = await (mapping.allAccepted
      ? connection.run(`insert into curve_points select $firstId + seq, ts_s, value_wh from ${source}`, { firstId: mapping.firstId })
      : connection.run(
          `insert into curve_points
           select o.session_id, p.ts_s, p.value_wh
           from ${source} p
           join stg_outcome o using (seq)
           where o.code = 0
           order by o.session_id, p.ts_s`,
        ));
    return Number(result.rowsChanged);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Writes an integer (|n| < 2^53) in decimal at `at`; returns the next free offset. */
export function writeInteger(buffer: Buffer, at: number, n: number): number {
  if (n < 0) {
    buffer[at++] = 45; // '-'
    n = -n;
  }
  if (n < 2147483648) {
    // 32-bit integer arithmetic: timestamps, Wh indices and seq almost always fit, and it is a third faster.
    const digits =
      n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
    let v = n | 0;
    for (let end = at + digits; end > at; ) {
      const q = (v / 10) | 0;
      buffer[--end] = 48 + v - q * 10;
      v = q;
    }
    return at + digits;
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
