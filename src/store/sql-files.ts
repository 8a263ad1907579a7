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

/**
 * A SQL file with its `{{name}}` placeholders filled. Placeholders only ever take constant text chosen by the code
 * (table names, window clauses, conditions written in the code); values go as bound parameters or variables.
 */
export function renderSql(relativePath: string, placeholders: Record<string, string> = {}): string {
  return readSql(relativePath).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const text = placeholders[key];
    if (text === undefined) throw new Error(`${relativePath}: no value for placeholder {{${key}}}`);
    return text;
  });
}
