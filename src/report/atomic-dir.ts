import fs from 'node:fs';
import path from 'node:path';
import { fsyncPath } from '../util/fsync.js';

/**
 * Replaces reports/<name>/ as a whole (issue 5: a failed or killed run leaves the previous reports untouched;
 * a crash leaves the old set or the new set, never a mix). The new set is written into a temporary sibling
 * folder and fsync'd; the old folder is then renamed aside, the new one renamed into place, and the old one
 * deleted. A crash between the two renames leaves `.old-<name>-*` and no `<name>`: the next call (or
 * recoverReportDir) renames it back before anything else.
 */
export async function replaceDirAtomically(parentDir: string, name: string, fill: (tmpDir: string) => Promise<void>): Promise<string> {
  if (!fs.existsSync(parentDir)) {
    fs.mkdirSync(parentDir, { recursive: true });
    fs.chmodSync(parentDir, 0o755);
  }
  recoverReportDir(parentDir, name);
  const target = path.join(parentDir, name);
  const tmpDir = path.join(parentDir, `.tmp-${name}-${process.pid}`);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir);
  try {
    await fill(tmpDir);
    // Reports are aggregates meant to be shared: readable by all, unlike the store (created under umask 077).
    for (const file of fs.readdirSync(tmpDir)) {
      fs.chmodSync(path.join(tmpDir, file), 0o644);
      fsyncPath(path.join(tmpDir, file));
    }
    fs.chmodSync(tmpDir, 0o755);
    fsyncPath(tmpDir);
  } catch (error) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
  const oldDir = path.join(parentDir, `.old-${name}-${process.pid}`);
  const hadOld = fs.existsSync(target);
  if (hadOld) fs.renameSync(target, oldDir);
  fs.renameSync(tmpDir, target);
  fsyncPath(parentDir);
  if (hadOld) fs.rmSync(oldDir, { recursive: true, force: true });
  return target;
}

/**
 * Cleans what an interrupted replacement left: a `.old-<name>-*` folder without `<name>` is the previous set
 * (the crash happened between the two renames) and goes back into place; other leftovers are deleted.
 */
export function recoverReportDir(parentDir: string, name: string): void {
  if (!fs.existsSync(parentDir)) return;
  const target = path.join(parentDir, name);
  const entries = fs.readdirSync(parentDir).sort();
  for (const entry of entries.filter((e) => e.startsWith(`.old-${name}-`))) {
    const full = path.join(parentDir, entry);
    if (!fs.existsSync(target)) fs.renameSync(full, target);
    else fs.rmSync(full, { recursive: true, force: true });
  }
  for (const entry of entries.filter((e) => e.startsWith(`.tmp-${name}-`))) {
    const pid = Number(entry.slice(`.tmp-${name}-`.length));
    // Another live run may be writing its own temporary folder; only dead runs' leftovers are removed.
    if (pid !== process.pid && isAlive(pid)) continue;
    fs.rmSync(path.join(parentDir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
