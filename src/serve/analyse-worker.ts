import { parentPort } from 'node:worker_threads';
import { analyseRequest, type AnalyseInput } from './analyse.js';

/** Worker-thread entry of analyser-pool.ts: one message in, one analysis (or error) out. */
parentPort?.on('message', (message: { id: number; input: AnalyseInput }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: analyseRequest(message.input) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
