import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Every file under `root` (recursive, links not followed), as paths relative to it. */
export function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The test's own grep, independent of the purge's byte search: reads each file whole and reports every
 * (file, identifier) pair found.
 */
export function grepIdentifiers(root: string, identifiers: string[]): { file: string; identifier: string }[] {
  const hits: { file: string; identifier: string }[] = [];
  for (const file of listFiles(root)) {
    const content = fs.readFileSync(path.join(root, file));
    for (const identifier of identifiers) if (content.includes(Buffer.from(identifier, 'utf8'))) hits.push({ file, identifier });
  }
  return hits;
}

export function hashTree(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(root).map((file) => [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(root, file))).digest('hex')]),
  );
}

/**
 * docs/purge.md: a 4-digit TransactionID occurs by chance in kept bytes (schema SQL, manifests), so a grep for it
 * proves nothing either way; such identifiers are covered by the check that every individual table is empty.
 */
export function isDistinctive(identifier: string): boolean {
  return Buffer.byteLength(identifier, 'utf8') >= 6;
}
