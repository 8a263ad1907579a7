import { listValue } from '@duckdb/node-api';
import { storeLayout } from '../config/paths.js';
import type { Store } from '../store/database.js';
import { inTransaction } from '../store/database.js';
import type { ValidSession } from './advenir/validate.js';
import { CODE } from './codes.js';
import { addBatchOutcome, emptyFileReport, nextBatchId, type FileReport } from './ingest-file.js';
import { loadBatch } from './load/load-batch.js';

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
      `select rejection_id, raw_json, session_json from rejections
       where held and resolved_batch_id is null and session_json is not null
       order by rejection_id`,
    );
    const rows = reader.getRowObjectsJS();
    if (rows.length === 0) return;
    const sessions = rows.map((row) => JSON.parse(String(row.session_json)) as ValidSession);
    const raws = rows.map((row) => (row.raw_json === null ? null : JSON.parse(String(row.raw_json))));
    const batchId = await nextBatchId(connection);
    const outcome = await loadBatch(connection, {
      batchId,
      route: 'retry',
      sourceFile: report.file,
      tmpDir: storeLayout(store.dataDir).tmpDir,
      sessions,
      raws,
      rejections: [],
      keepNot: [CODE.UNKNOWN_CHARGE_POINT],
      powerTolerance: options.powerTolerance,
    });
    const resolvedIds = rows.filter((_, seq) => outcome.codes[seq] !== CODE.UNKNOWN_CHARGE_POINT).map((row) => Number(row.rejection_id));
    if (resolvedIds.length > 0) {
      await connection.run(
        `update rejections set resolved_batch_id = $batchId
         where rejection_id in (select unnest($ids::bigint[]))`,
        { batchId, ids: listValue(resolvedIds) },
      );
    }
    report.received = rows.length;
    addBatchOutcome(report, outcome);
    // The batch row logs what this retry resolved: sessions still held were counted when they arrived, and a run
    // that resolves nothing logs nothing (every `pipeline run` retries; quality.csv sums the batches).
    if (resolvedIds.length === 0) return;
    const stillHeld = rows.length - resolvedIds.length;
    await connection.run(
      `insert into ingest_batches (batch_id, source_file, source_sha256, route, format, received, accepted, duplicates,
          rejected, file_error_code, loaded_at)
       values ($batchId, 'retry', 'retry', 'retry', 'held-sessions', $received, $accepted, $duplicates, $rejected, null, now())`,
      { batchId, received: resolvedIds.length, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected - stillHeld },
    );
  });
  return report;
}
