import type { DuckDBConnection } from '@duckdb/node-api';
import { storeLayout } from '../config/paths.js';
import { inTransaction, type Store } from '../store/database.js';
import { AppError } from '../errors.js';
import type { SessionRejection, ValidSession } from './advenir/validate.js';
import { CODE } from './codes.js';
import { loadBatch, type BatchOutcome } from './load/load-batch.js';
import type { SessionFormat } from './parse-sessions.js';
import { prepareSessionFile, type IngestFileOptions, type PreparedFile } from './prepare-file.js';

export { detectSessionFormat, prepareSessionFile } from './prepare-file.js';
export type { IngestFileOptions, PreparedFile, SourceFile } from './prepare-file.js';

/**
 * One session file → one transaction (issue 3: "atomic per file"): a crash in the middle leaves the store as it
 * was, and a rerun loads the file exactly once. A file already loaded (same sha256) is evaluated again inside a
 * transaction that is rolled back, so the report says what it holds (all duplicates) and the store is unchanged.
 */
export interface FileReport {
  file: string;
  format: SessionFormat;
  route: string;
  received: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  curvePoints: number;
  rejectedByCode: Record<string, number>;
  refusals: SessionRejection[];
  fileError?: { code: number; message: string };
  alreadyLoaded: boolean;
}

/** A report with every count at zero, filled in as sessions are loaded. */
export function emptyFileReport(file: string, format: SessionFormat, route: string, received = 0): FileReport {
  return { file, format, route, received, accepted: 0, duplicates: 0, rejected: 0, curvePoints: 0, rejectedByCode: {}, refusals: [], alreadyLoaded: false };
}

export async function ingestSessionFile(store: Store, filePath: string, options: IngestFileOptions): Promise<FileReport> {
  return loadPreparedFile(store, prepareSessionFile(filePath, options), options);
}

/** Loads a prepared file in its own transaction. */
export async function loadPreparedFile(store: Store, prepared: PreparedFile, options: IngestFileOptions): Promise<FileReport> {
  const { filePath, sha256, format, route, parsed } = prepared;
  const source = { sha256 };
  const report = emptyFileReport(filePath, format, route, parsed.received);
  const connection = store.connection;
  report.alreadyLoaded = await isLoaded(connection, source.sha256);
  if (parsed.fileError) {
    report.fileError = parsed.fileError;
    if (!(await isRecorded(connection, source.sha256))) {
      await inTransaction(connection, () => recordBatch(connection, report, source.sha256, parsed.fileError!.code));
    }
    return report;
  }
  const load = async () => {
    const batchId = await nextBatchId(connection);
    const outcome = await loadBatch(connection, {
      batchId,
      route,
      sourceFile: filePath,
      tmpDir: storeLayout(store.dataDir).tmpDir,
      powerTolerance: options.powerTolerance,
      ...parsed,
      materialize: parsed.pointsCsv ? () => materialize(prepared, options) : undefined,
    });
    addBatchOutcome(report, outcome);
    await recordBatch(connection, report, source.sha256, null, batchId);
  };
  if (report.alreadyLoaded) await dryRun(connection, load);
  else await inTransaction(connection, load);
  if (report.alreadyLoaded) report.curvePoints = 0;
  return report;
}

/**
 * The full sessions (points, raw JSON) of a file prepared in the worker, validated again on the main thread. The
 * same bytes and options give the same sessions in the same order; a file changed in between is an error (the
 * file's transaction is rolled back and a rerun loads it as it now is).
 */
function materialize(prepared: PreparedFile, options: IngestFileOptions): { sessions: ValidSession[]; raws: unknown[] } {
  const again = prepareSessionFile(prepared.filePath, options);
  if (again.sha256 !== prepared.sha256 || again.parsed.sessions.length !== prepared.parsed.sessions.length) {
    throw new AppError('FILE_UNREADABLE', `${prepared.filePath} changed while it was being ingested`);
  }
  return again.parsed;
}

/** Runs `fn` in a transaction that is always rolled back. */
async function dryRun(connection: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
  await connection.run('begin transaction');
  try {
    await fn();
  } finally {
    await connection.run('rollback');
  }
}

/** Copies a loaded batch's counts and refusals into the file's report. */
export function addBatchOutcome(report: FileReport, outcome: BatchOutcome): void {
  Object.assign(report, {
    accepted: outcome.accepted,
    duplicates: outcome.duplicates,
    rejected: outcome.rejected,
    curvePoints: outcome.curvePoints,
    refusals: outcome.refusals,
    rejectedByCode: countByCode(outcome.refusals),
  });
}

/** Refusals by code, duplicates excepted (issue 3: they are counted in `duplicates`). */
export function countByCode(refusals: readonly SessionRejection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of refusals) if (r.code !== CODE.DUPLICATE) counts[String(r.code)] = (counts[String(r.code)] ?? 0) + 1;
  return counts;
}

async function isLoaded(connection: DuckDBConnection, sha256: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    'select count(*) as n from ingest_batches where source_sha256 = $sha256 and file_error_code is null',
    { sha256 },
  );
  return Number(reader.getRowObjectsJS()[0].n) > 0;
}

async function isRecorded(connection: DuckDBConnection, sha256: string): Promise<boolean> {
  const reader = await connection.runAndReadAll('select count(*) as n from ingest_batches where source_sha256 = $sha256', { sha256 });
  return Number(reader.getRowObjectsJS()[0].n) > 0;
}

export async function nextBatchId(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll('select coalesce(max(batch_id), 0) + 1 as id from ingest_batches');
  return Number(reader.getRowObjectsJS()[0].id);
}

async function recordBatch(
  connection: DuckDBConnection,
  report: FileReport,
  sha256: string,
  fileErrorCode: number | null,
  batchId?: number,
): Promise<void> {
  const id = batchId ?? (await nextBatchId(connection));
  await connection.run(
    `insert into ingest_batches (batch_id, source_file, source_sha256, route, format, received, accepted, duplicates,
        rejected, file_error_code, loaded_at)
     values ($id, $file, $sha256, $route, $format, $received, $accepted, $duplicates, $rejected, $fileErrorCode, now())`,
    {
      id,
      file: report.file,
      sha256,
      route: report.route,
      format: report.format,
      received: report.received,
      accepted: report.accepted,
      duplicates: report.duplicates,
      rejected: report.rejected,
      fileErrorCode,
    },
  );
}
