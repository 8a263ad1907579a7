import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Durable file writes for the service: "acknowledged means on disk" (issue 7).
 * A file becomes visible under its final name only once its bytes are flushed (temp name, fsync, rename,
 * fsync of the folder), so a reader never sees a half-written file and a crash never loses an answered one.
 */

/** Service state is individual data: files 0600 (privacy.md); folders come from util/private-dir.ts (0700). */
export const PRIVATE_FILE_MODE = 0o600;

/** Flushes a folder's entries (a rename is durable only once its folder is). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Temporary names start with a dot and end in `.tmp`, so that no loader ever picks them up. */
export function tempNameFor(finalName: string): string {
  return `.${finalName}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Writes `data` to dir/name durably; the folder fsync is optional so callers can batch it. */
export async function writeFileDurable(dir: string, name: string, data: string | Uint8Array, options: { syncDir?: boolean } = {}): Promise<string> {
  const finalPath = path.join(dir, name);
  const tempPath = path.join(dir, tempNameFor(name));
  const handle = await fs.open(tempPath, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  await handle.close();
  await fs.rename(tempPath, finalPath);
  if (options.syncDir !== false) await fsyncDir(dir);
  return finalPath;
}

/** Removes temporary files a crash left behind (they were never acknowledged). */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await fs.readdir(dir)) {
    if (!isTempName(name)) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed += 1;
  }
  return removed;
}
