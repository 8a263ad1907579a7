import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { PRIVATE_FILE_MODE } from './durable-fs.js';

/**
 * One service per data dir: two would keep two received-key indexes and answer OK twice for one session.
 * A lock file holds the pid; a lock left by a dead process (kill -9) is taken over.
 */
export const LOCK_FILE = 'serve.lock';

export async function acquireServiceLock(serviceDir: string): Promise<{ release(): Promise<void> }> {
  const file = path.join(serviceDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await fs.rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new AppError('SERVE_FAILED', `another collection service (pid ${pid}) already serves this data dir`);
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new AppError('SERVE_FAILED', `cannot take the service lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
