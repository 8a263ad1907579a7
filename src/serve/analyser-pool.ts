import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyseRequest, type AnalyseInput, type Analysis } from './analyse.js';

/**
 * Runs analyseRequest() inline or on worker threads. JSON parsing, validation and key hashing are ~70 % of a
 * request's CPU; on worker threads they leave the main thread to HTTP, the key index and the durable writes,
 * and use the second core. The received-key index stays on the main thread (one owner, no locking).
 */
export interface Analyser {
  readonly workers: number;
  analyse(input: AnalyseInput): Promise<Analysis>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./analyse-worker.js', import.meta.url));

export function createAnalyser(workers: number): Analyser {
  // From the TypeScript sources (tests) there is no compiled worker file: analyse inline.
  if (workers <= 0 || !fs.existsSync(WORKER_FILE)) {
    return { workers: 0, analyse: async (input) => analyseRequest(input), close: async () => undefined };
  }
  return new WorkerPool(workers);
}

interface Pending {
  resolve: (analysis: Analysis) => void;
  reject: (error: Error) => void;
}

class WorkerPool implements Analyser {
  private readonly slots: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private closing = false;

  constructor(readonly workers: number) {
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn());
  }

  private spawn(): { worker: Worker; pending: Map<number, Pending> } {
    const slot = { worker: new Worker(WORKER_FILE), pending: new Map<number, Pending>() };
    slot.worker.on('message', (message: { id: number; result?: Analysis; error?: string }) => {
      const pending = slot.pending.get(message.id);
      slot.pending.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result!);
    });
    // A dead worker fails its requests (answered 500, never acknowledged) and is replaced.
    const fail = (error: Error) => {
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
      if (this.closing) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`analysis worker exited with code ${code}`)));
    slot.worker.unref();
    return slot;
  }

  analyse(input: AnalyseInput): Promise<Analysis> {
    // Least busy worker: requests differ in size, round-robin would queue behind a big one.
    const slot = this.slots.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
