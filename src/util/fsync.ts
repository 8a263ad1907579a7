import fs from 'node:fs';

/**
 * Flushes a file's bytes, or a folder's entries, to disk. A rename is durable only once its folder is flushed:
 * the atomic writers (reports, purge) call this on the file, then on its folder.
 */
export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
