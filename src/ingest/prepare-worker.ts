import { parentPort } from 'node:worker_threads';
import { toTransferable, type PrepareRequest } from './prepare-pool.js';
import { prepareSessionFile } from './prepare-file.js';

/**
 * Worker thread of `pipeline ingest`: reads, hashes, parses and validates session files and builds their points
 * CSV, while the main thread and DuckDB load the previous file (issue 3 point 7: JS and SQL on both cores).
 */
parentPort?.on('message', (request: PrepareRequest) => {
  try {
    const prepared = toTransferable(prepareSessionFile(request.filePath, { ...request.options, packPoints: true }));
    if (!prepared) {
      // Refusals carry raw JSON of any depth: the main thread validates such a file itself (see toTransferable).
      parentPort!.postMessage({ id: request.id, ok: true, redo: true });
      return;
    }
    const transfer = prepared.parsed.pointsCsv ? [prepared.parsed.pointsCsv.buffer as ArrayBuffer] : [];
    parentPort!.postMessage({ id: request.id, ok: true, prepared }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
