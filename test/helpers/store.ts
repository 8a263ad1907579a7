import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOutput, type Output } from '../../src/cli/output.js';
import { openStore, type Store } from '../../src/store/database.js';

/** An Output that prints nothing, for calling commands' logic in tests. */
export function quietOutput(): Output {
  const sink = { write: () => true, isTTY: false } as unknown as typeof process.stdout & typeof process.stderr;
  return createOutput({}, { stdout: sink, stderr: sink });
}

/** A store in a fresh temporary folder (the store in `dir`/data); `cleanup` closes it and removes the folder. */
export async function openTempStore(
  prefix = 'pipeline-store',
  options: { threads?: number } = {},
): Promise<{ store: Store; dir: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const store = await openStore(path.join(dir, 'data'), options);
  return { store, dir, cleanup: () => { store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
