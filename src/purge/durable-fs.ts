import fs from 'node:fs';
import path from 'node:path';
import { fsyncPath } from '../util/fsync.js';

/**
 * Small durable-file helpers. A purge must survive being killed at any instant, so every file it writes is
 * written to a temporary name, fsync'd, renamed into place, and the folder fsync'd (POSIX rename is atomic).
 */
export function writeFileDurably(file: string, content: string, mode = 0o600): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', mode);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  fsyncPath(path.dirname(file));
}

/** Removes a file or a folder tree if it exists, then makes the removal durable. */
export function removeDurably(target: string): void {
  if (!fs.existsSync(target) && !isDanglingLink(target)) return;
  fs.rmSync(target, { recursive: true, force: true });
  fsyncPath(path.dirname(target));
}

function isDanglingLink(target: string): boolean {
  try {
    return fs.lstatSync(target).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface WalkedFile {
  /** Path relative to the walked root, with '/' separators. */
  relative: string;
  absolute: string;
  bytes: number;
}

/** Every file (and symbolic link) under `root`, sorted for deterministic output; links are not followed. */
export function walkFiles(root: string): WalkedFile[] {
  const files: WalkedFile[] = [];
  const visit = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(absolute, relative);
      else files.push({ relative, absolute, bytes: fs.lstatSync(absolute).size });
    }
  };
  if (fs.existsSync(root)) visit(root, '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
