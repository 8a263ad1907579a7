import fs from 'node:fs';

/**
 * Creates a folder readable by its owner only (0700): individual data are readable by the technical operator's
 * account only (privacy.md). mkdir does not change the mode of an existing folder nor escape the umask, hence
 * the chmod.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}
