import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { prepareSessionFile, type IngestFileOptions, type PreparedFile } from './prepare-file.js';
import { buildPointsCsv } from './load/points-file.js';

/**
 * Prepares session files (read, sha256, parse, validate, points CSV) one ahead of the load, in a worker thread
 * when the compiled worker exists (dist/), else on the main thread between DuckDB's statements (tests run src/).
 * What crosses the thread boundary is small: sessions without their points, the points as CSV bytes (transferred,
 * not copied), and the validation refusals. Sessions refused later at load time are re-validated on the main
 * thread to get their points and raw JSON back (loadPreparedFile's `materialize`).
 */
export interface PrepareRequest {
  id: number;
  filePath: string;
  options: IngestFileOptions;
}

export interface Preparer {
  /** How many files may be in preparation at once (one per worker). */
  depth: number;
  prepare(filePath: string, options: IngestFileOptions): Promise<PreparedFile>;
  close(): Promise<void>;
}

/**
 * One worker by default: on the 2-core target machine a second one measured no faster (DuckDB needs the other
 * core) and holds one more file in memory. PIPELINE_INGEST_WORKERS overrides it (0 = all on the main thread).
 */
export function createPreparer(workers = Number(process.env.PIPELINE_INGEST_WORKERS ?? 1)): Preparer {
  const workerFile = fileURLToPath(new URL('./prepare-worker.js', import.meta.url));
  if (!fs.existsSync(workerFile) || !(workers >= 1) || process.env.PIPELINE_INGEST_WORKER === '0') return inlinePreparer();
  const pool = Array.from({ length: Math.floor(workers) }, () => createWorkerPreparer(workerFile));
  let turn = 0;
  return {
    depth: pool.length,
    prepare: (filePath, options) => pool[turn++ % pool.length].prepare(filePath, options),
    close: async () => {
      await Promise.all(pool.map((p) => p.close()));
    },
  };
}

/**
 * The thread-crossing form of a prepared file: points moved to CSV bytes, raws of valid sessions dropped. A file
 * with validation refusals is not sent (undefined): their raw JSON may be nested thousands of levels deep, which
 * the structured clone between threads does not survive; the main thread prepares such a file itself.
 */
export function toTransferable(prepared: PreparedFile): PreparedFile | undefined {
  const { parsed } = prepared;
  if (parsed.fileError) return prepared;
  if (parsed.rejections.length > 0) return undefined;
  return {
    ...prepared,
    parsed: {
      ...parsed,
      pointsCsv: buildPointsCsv(parsed.sessions),
      pointCounts: parsed.sessions.map((s) => s.packedPoints?.tsS.length ?? s.points.length),
      sessions: parsed.sessions.map((s) => ({ ...s, points: [], packedPoints: undefined })),
      raws: [],
    },
  };
}

function createWorkerPreparer(workerFile: string): Preparer {
  const worker = new Worker(workerFile);
  const inline = inlinePreparer();
  let alive = true;
  const pending = new Map<number, { redo: () => void; resolve: (p: PreparedFile) => void; reject: (e: unknown) => void }>();
  let nextId = 0;
  // A worker that dies (e.g. out of stack on a hostile file) is not an ingest error: its files are redone inline.
  const redoAll = () => {
    alive = false;
    for (const { redo } of pending.values()) redo();
    pending.clear();
  };
  worker.on('message', (message: { id: number; ok: boolean; redo?: boolean; prepared?: PreparedFile; message?: string }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (!message.ok) waiter.reject(new AppError('FILE_UNREADABLE', message.message ?? 'cannot read the file'));
    else if (message.redo) waiter.redo();
    else waiter.resolve(message.prepared!);
  });
  worker.on('error', redoAll);
  worker.on('exit', redoAll);
  return {
    depth: 1,
    prepare(filePath, options) {
      if (!alive) return inline.prepare(filePath, options);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const redo = () => inline.prepare(filePath, options).then(resolve, reject);
        pending.set(id, { redo, resolve, reject });
        worker.postMessage({ id, filePath, options } satisfies PrepareRequest);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** Same contract on the main thread: the work runs at the next await, i.e. while DuckDB runs a statement. */
function inlinePreparer(): Preparer {
  return {
    depth: 1,
    prepare: (filePath, options) => Promise.resolve().then(() => prepareSessionFile(filePath, options)),
    close: async () => undefined,
  };
}
