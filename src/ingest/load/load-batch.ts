import { BOOLEAN, DOUBLE, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { SessionRejection, ValidSession } from '../advenir/validate.js';
import { CODE, sessionCode } from '../codes.js';
import { appendColumns, createStagingTables, stageSessions } from './stage.js';
import { CLASSIFY_SQL, DEFAULT_POWER_TOLERANCE, INSERT_SESSIONS_SQL } from './classify.sql.js';
import { buildPointsCsv, insertCurvePoints } from './points-file.js';
import { fillCurveMaxPower } from '../../store/curve-max-power.js';

/**
 * Loads one batch (one file, one landing file, or one retry) inside the caller's transaction:
 * stages the validated sessions, decides the load-time outcomes in SQL, inserts accepted sessions and their
 * points, and keeps every refusal (except duplicates, which are the data already kept) with its raw JSON.
 */
export interface BatchInput {
  batchId: number;
  route: string;
  /** Scratch folder for the points file (storeLayout(dataDir).tmpDir). */
  tmpDir: string;
  sourceFile: string;
  sessions: ValidSession[];
  /** Raw JSON of each session (parallel to `sessions`), kept if the store refuses it. */
  raws: unknown[];
  /**
   * Set when the file was prepared in a worker: the points as `seq,ts_s,value_wh` CSV bytes, the number of points
   * per session (whose `points` are then []), and how to get the full sessions and raws back for the few refused
   * at load time (the file is validated again).
   */
  pointsCsv?: Uint8Array;
  pointCounts?: number[];
  materialize?: () => { sessions: ValidSession[]; raws: unknown[] };
  /** Refusals already decided by the validation core or the format parser. */
  rejections: SessionRejection[];
  /** Ratio over the nominal power that makes a 208 (0 = rule off); DEFAULT_POWER_TOLERANCE when absent. */
  powerTolerance?: number;
  /** When given, CPU milliseconds per step are added to it (bench and profiling only). */
  timings?: Record<string, number>;
  /** Refusal codes not to write again (a retry leaves still-held rows as they are instead of copying them). */
  keepNot?: number[];
}

export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
  curvePoints: number;
  /** Every refusal of the batch, duplicates included (code 202), in input order: validation first, then load time. */
  refusals: SessionRejection[];
  /** seq (index in input.sessions) of each session accepted, in order; used by --retry to resolve held rows. */
  acceptedSeqs: number[];
  /** Outcome code per staged session (0 = accepted). */
  codes: number[];
}

export async function loadBatch(connection: DuckDBConnection, input: BatchInput): Promise<BatchOutcome> {
  const step = stepTimer(input.timings);
  await createStagingTables(connection);
  await stageSessions(connection, input.sessions, input.pointCounts);
  const pointsCsv = input.pointsCsv ?? buildPointsCsv(input.sessions);
  step('stage');
  await connection.run(CLASSIFY_SQL, { powerTolerance: input.powerTolerance ?? DEFAULT_POWER_TOLERANCE });
  step('classify');
  await connection.run(INSERT_SESSIONS_SQL, { route: input.route, batchId: input.batchId });
  step('insert_sessions');
  // Only refused rows cross to JS (accepted ones are the rest, numbered in seq order from the first session_id).
  const reader = await connection.runAndReadAll(
    `select seq, code, beneficiary_id, null as first_id from stg_outcome where code <> 0
     union all select null, null, null, min(session_id) from stg_outcome where code = 0
     order by seq nulls last`,
  );
  const rows = reader.getRowObjectsJS();
  const firstId = Number(rows[rows.length - 1].first_id ?? 0);
  const codes: number[] = new Array(input.sessions.length).fill(0);
  const refusedRows = rows.slice(0, -1);
  // Sessions prepared in a worker carry no points or raw: validate the file again for the few refused here.
  const full = refusedRows.length > 0 && input.materialize ? input.materialize() : { sessions: input.sessions, raws: input.raws };
  const loadRefusals: SessionRejection[] = [];
  const heldSessions = new Map<SessionRejection, ValidSession>();
  for (const row of refusedRows) {
    const seq = Number(row.seq);
    const code = Number(row.code);
    codes[seq] = code;
    const s = full.sessions[seq];
    const userId = row.beneficiary_id === null ? (s.userId || undefined) : String(row.beneficiary_id);
    const refusal: SessionRejection = {
      code,
      message: sessionCode(code).message,
      ...(userId !== undefined ? { userId } : {}),
      stationId: s.stationId,
      transactionId: s.transactionId,
      startS: s.startS,
      stopS: s.stopS,
      raw: full.raws[seq],
    };
    if (code === CODE.UNKNOWN_CHARGE_POINT) heldSessions.set(refusal, s);
    loadRefusals.push(refusal);
  }
  const acceptedSeqs: number[] = [];
  for (let seq = 0; seq < codes.length; seq++) if (codes[seq] === 0) acceptedSeqs.push(seq);
  step('read_outcome');
  const curvePoints = await insertCurvePoints(
    connection,
    input.tmpDir,
    pointsCsv,
    { allAccepted: refusedRows.length === 0, firstId },
  );
  step('insert_points');
  if (curvePoints > 0) {
    await fillCurveMaxPower(connection, { firstSessionId: firstId, lastSessionId: firstId + acceptedSeqs.length - 1 });
    step('curve_max_power');
  }
  const refusals = [...input.rejections, ...loadRefusals];
  await keepRejections(connection, input, refusals, heldSessions);
  step('keep_rejections');
  const duplicates = refusals.filter((r) => r.code === CODE.DUPLICATE).length;
  return {
    accepted: acceptedSeqs.length,
    duplicates,
    rejected: refusals.length - duplicates,
    curvePoints,
    refusals,
    acceptedSeqs,
    codes,
  };
}

/**
 * Every refusal but 202 is kept (issue 3: "nothing is lost"). Held sessions (209) also keep their validated form
 * (session_json) so that --retry needs no parser.
 */
async function keepRejections(
  connection: DuckDBConnection,
  input: BatchInput,
  refusals: SessionRejection[],
  heldSessions: Map<SessionRejection, ValidSession>,
): Promise<void> {
  const skip = new Set([CODE.DUPLICATE as number, ...(input.keepNot ?? [])]);
  const kept = refusals.filter((r) => !skip.has(r.code));
  if (kept.length === 0) return;
  await connection.run(`create or replace temp table stg_rejections (
      ord integer, code integer, message varchar, user_id varchar, station_id varchar, transaction_id varchar,
      start_s double, stop_s double, raw_json varchar, held boolean, session_json varchar)`);
  await appendColumns(
    connection,
    'stg_rejections',
    [INTEGER, INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, VARCHAR, BOOLEAN, VARCHAR],
    kept.length,
    (from, to) => {
      const slice = kept.slice(from, to);
      const session = (r: SessionRejection) => heldSessions.get(r);
      return [
        slice.map((_, i) => from + i),
        slice.map((r) => r.code),
        slice.map((r) => r.message),
        slice.map((r) => r.userId ?? null),
        slice.map((r) => r.stationId ?? null),
        slice.map((r) => r.transactionId ?? null),
        slice.map((r) => (Number.isFinite(r.startS) ? (r.startS as number) : null)),
        slice.map((r) => (Number.isFinite(r.stopS) ? (r.stopS as number) : null)),
        slice.map((r) => rawJson(r.raw)),
        slice.map((r) => r.code === CODE.UNKNOWN_CHARGE_POINT),
        slice.map((r) => (session(r) ? JSON.stringify(session(r)) : null)),
      ];
    },
  );
  await connection.run(
    `insert into rejections (rejection_id, batch_id, code, message, user_id, station_id, transaction_id, start_s, stop_s,
        raw_json, source_file, route, held, resolved_batch_id, rejected_at, session_json)
     select (select coalesce(max(rejection_id), 0) from rejections) + row_number() over (order by ord),
        $batchId, code, message, user_id, station_id, transaction_id, start_s::bigint, stop_s::bigint,
        raw_json, $sourceFile, $route, held, null, now(), session_json
     from stg_rejections as s
     -- A refusal already on record and still open (the same session refused again: a client resending a refused
     -- request, each resend landing) is not recorded twice: quality.csv counts refused sessions, not attempts.
     where not exists (
        select 1 from rejections as r
        where r.resolved_batch_id is null and r.code = s.code and r.route = $route
          and r.user_id is not distinct from s.user_id and r.station_id is not distinct from s.station_id
          and r.transaction_id is not distinct from s.transaction_id
          and r.start_s is not distinct from s.start_s::bigint and r.stop_s is not distinct from s.stop_s::bigint
          and r.raw_json is not distinct from s.raw_json)
     order by ord`,
    { batchId: input.batchId, sourceFile: input.sourceFile, route: input.route },
  );
}

/** Adds the CPU milliseconds since the previous call to `timings[name]`; a no-op without `timings`. */
function stepTimer(timings: Record<string, number> | undefined): (name: string) => void {
  if (!timings) return () => undefined;
  let last = process.cpuUsage();
  return (name) => {
    const delta = process.cpuUsage(last);
    last = process.cpuUsage();
    timings[name] = (timings[name] ?? 0) + (delta.user + delta.system) / 1000;
  };
}

function rawJson(raw: unknown): string | null {
  if (raw === undefined) return null;
  try {
    return JSON.stringify(raw) ?? null;
  } catch {
    // A value nested deeper than the JS stack (e.g. 10,000 levels, issue 9) cannot be serialised, nor turned into a
    // string (Array#join recurses too): the refusal is still recorded with its code, without the raw JSON.
    try {
      return String(raw);
    } catch {
      return null;
    }
  }
}
