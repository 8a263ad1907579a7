import { listValue } from '@duckdb/node-api';
import { storeLayout } from '../config/paths.js';
import type { Store } from '../store/database.js';
import { inTransaction } from '../store/database.js';
import type { ValidSession } from './advenir/validate.js';
import { CODE } from './codes.js';
import { addBatchOutcome, emptyFileReport, nextBatchId, type FileReport } from './ingest-file.js';
import { loadBatch, type BatchOutcome } from './load/load-batch.js';

/**
 * `pipeline ingest --retry` (issue 3): sessions held only because their charge point was not registered (209)
 * go through the load-time rules again. Those now accepted, duplicated or refused for another reason are marked
 * resolved by this batch (a new rejection row keeps a new refusal); those still unknown stay held, unchanged.
 * One transaction: a crash leaves every held row as it was.
 */
export async function retryHeldSessions(store: Store, options: { powerTolerance?: number } = {}): Promise<FileReport> {
  const connection = store.connection;
  const report = emptyFileReport('(held sessions)', 'advenir', 'retry');
  await inTransaction(connection, async () => {
    const reader = await connection.runAndReadAll(
      `select rejection_id, raw_json, session_json, coalesce(route, 'unknown') as route from rejections
       where held and resolved_batch_id is null and session_json is not null
       order by rejection_id`,
    );
    const rows = reader.getRowObjectsJS();
    report.received = rows.length;
    // One batch per collection route: an accepted session keeps the route it arrived by (quality.csv counts the
    // month's sessions by route), and a route's held sessions keep their arrival order.
    for (const route of [...new Set(rows.map((row) => String(row.route)))].sort()) {
      const outcome = await retryRoute(store, rows.filter((row) => row.route === route), route, options);
      addRetryOutcome(report, outcome);
    }
  });
  return report;
}

type HeldRow = Record<string, unknown>;

async function retryRoute(store: Store, rows: HeldRow[], route: string, options: { powerTolerance?: number }): Promise<BatchOutcome> {
  const connection = store.connection;
  const batchId = await nextBatchId(connection);
  const outcome = await loadBatch(connection, {
    batchId,
    route,
    sourceFile: '(held sessions)',
    tmpDir: storeLayout(store.dataDir).tmpDir,
    sessions: rows.map((row) => JSON.parse(String(row.session_json)) as ValidSession),
    raws: rows.map((row) => (row.raw_json === null ? null : JSON.parse(String(row.raw_json)))),
    rejections: [],
    keepNot: [CODE.UNKNOWN_CHARGE_POINT],
    powerTolerance: options.powerTolerance,
  });
  const resolvedIds = rows.filter((_, seq) => outcome.codes[seq] !== CODE.UNKNOWN_CHARGE_POINT).map((row) => Number(row.rejection_id));
  // A retry that resolves nothing logs nothing: every `pipeline run` retries, and quality.csv sums the batches.
  if (resolvedIds.length === 0) return outcome;
  await connection.run(
    `update rejections set resolved_batch_id = $batchId
     where rejection_id in (select unnest($ids::bigint[]))`,
    { batchId, ids: listValue(resolvedIds) },
  );
  // The batch row logs what this retry resolved: sessions still held were counted when they arrived. Its format
  // marks it as a retry, not a file (quality.csv counts files).
  const stillHeld = rows.length - resolvedIds.length;
  await connection.run(
    `insert into ingest_batches (batch_id, source_file, source_sha256, route, format, received, accepted, duplicates,
        rejected, file_error_code, loaded_at)
     values ($batchId, 'retry', 'retry', $route, 'held-sessions', $received, $accepted, $duplicates, $rejected, null, now())`,
    { batchId, route, received: resolvedIds.length, accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected - stillHeld },
  );
  return outcome;
}

/** Adds one route's outcome to the retry's report (still-held sessions count as rejected 209: docs/ingest.md). */
function addRetryOutcome(report: FileReport, outcome: BatchOutcome): void {
  const refusals = [...report.refusals, ...outcome.refusals];
  addBatchOutcome(report, {
    ...outcome,
    accepted: report.accepted + outcome.accepted,
    duplicates: report.duplicates + outcome.duplicates,
    rejected: report.rejected + outcome.rejected,
    curvePoints: report.curvePoints + outcome.curvePoints,
    refusals,
  });
}
