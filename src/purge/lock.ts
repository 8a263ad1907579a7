import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { LOCK_FILE } from './allow-list.js';
import { fsyncPath } from '../util/fsync.js';
import { storeLayout } from '../config/paths.js';
import { LOCK_FILE as SERVICE_LOCK_FILE } from '../serve/service-lock.js';

/**
 * One purge at a time. The store's own lock only covers the steps that open it, and two purges interleaving
 * their deletions and rebuilds would each undo the other. The lock file holds the owner's pid: a purge killed
 * with -9 leaves it behind, and the next purge takes it over once that process is gone.
 */
export function acquirePurgeLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fsyncPath(dataDir);
      return () => {
        fs.rmSync(file, { force: true });
        fsyncPath(dataDir);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (isAlive(owner)) {
        throw new AppError('STORE_LOCKED', `another purge (process ${owner}) is running on this data folder`, { details: { pid: owner } });
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('STORE_LOCKED', 'another purge keeps taking the lock on this data folder');
}

/**
 * The collection service writes landing files while it runs and checks PURGED.json only when it starts: a purge
 * under a running service would be followed by new individual files. Its lock file (serve/service-lock.ts)
 * tells whether it runs.
 */
export function assertServiceStopped(dataDir: string): void {
  const file = path.join(storeLayout(dataDir).serviceDir, SERVICE_LOCK_FILE);
  if (!fs.existsSync(file)) return;
  const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
  if (isAlive(owner)) {
    throw new AppError('STORE_LOCKED', `the collection service (process ${owner}) is running on this data folder; stop it before purging`, {
      details: { pid: owner },
    });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
