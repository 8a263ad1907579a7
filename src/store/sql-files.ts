import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `sql/` folder, found from this module whether it runs from `src/` (tests) or `dist/`. */
export function sqlDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', 'sql');
}

export function readSql(relativePath: string): string {
  return fs.readFileSync(path.join(sqlDir(), relativePath), 'utf8');
}
