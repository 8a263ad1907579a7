import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { storeLayout } from '../config/paths.js';
import { PURGE_BOOKKEEPING, PURGED_MARKER } from './allow-list.js';
import { searchBytes, type ByteSearchResult } from './byte-search.js';
import { walkFiles } from './durable-fs.js';
import type { Identifier } from './identifiers.js';
import { countTables, folderOf, hashReports } from './inventory.js';
import type { PurgePlan, Verification } from './state.js';

export const VERIFICATION_METHOD = [
  'every byte of every file under the data folder (but the purge\'s own bookkeeping, deleted afterwards) was read and searched for the UTF-8 bytes of each sampled identifier (as grep -r -F would)',
  'the rebuilt store was opened and every table outside the allow-list was counted (must hold 0 rows)',
  'the data folder was listed: only the rebuilt database and the PURGED.json marker may remain',
  'every report file was hashed again and compared with its sha256 taken before the purge',
];

/**
 * The purge checks its own work before any certificate is written (purge issue). A byte search alone is not
 * enough: DuckDB compresses strings (dictionary, FSST), so an identifier can sit in a page without its bytes
 * appearing; hence the second, logical check on the store. Conversely the logical check cannot see a stray
 * file; hence the byte search and the listing.
 */
export async function verifyPurge(dataDir: string, reportsDir: string, sample: Identifier[], plan: PurgePlan): Promise<Verification> {
  const layout = storeLayout(dataDir);
  // The purge's own bookkeeping is not searched: the sample holds the identifiers (hex-encoded), the state
  // and the lock hold counts, sha256 digests and a pid (where a 6-digit number can occur by chance); all are
  // deleted once the certificate is written, leaving only the files searched here.
  const search = searchBytes(dataDir, sample, { exclude: [...PURGE_BOOKKEEPING] });
  const { tablesChecked, individualRowsRemaining } = await countRemainingRows(layout.databaseFile);
  const databaseName = path.basename(layout.databaseFile);
  const allowed = new Set([databaseName, PURGED_MARKER, ...PURGE_BOOKKEEPING]);
  const unexpectedFiles = walkFiles(dataDir).filter((file) => !allowed.has(file.relative)).length;
  const reportsUnchanged = JSON.stringify(hashReports(reportsDir)) === JSON.stringify(plan.keptReports);
  return {
    method: VERIFICATION_METHOD,
    filesSearched: search.filesSearched,
    bytesSearched: search.bytesSearched,
    identifiersSearched: sample.length,
    matches: matchesByFolder(search.matches, databaseName),
    tablesChecked,
    individualRowsRemaining,
    unexpectedFiles,
    reportsUnchanged,
    passed: search.matches.length === 0 && individualRowsRemaining === 0 && unexpectedFiles === 0 && reportsUnchanged,
  };
}

/** File names can carry identifiers (an inbox file named after a UserID): matches are reported per folder. */
function matchesByFolder(matches: ByteSearchResult['matches'], databaseName: string): Verification['matches'] {
  const counts = new Map<string, { folder: string; kind: string; files: number }>();
  for (const match of matches) {
    const folder = folderOf(match.file, databaseName);
    const entry = counts.get(`${folder}\t${match.kind}`) ?? { folder, kind: match.kind, files: 0 };
    entry.files += 1;
    counts.set(`${folder}\t${match.kind}`, entry);
  }
  return [...counts.values()];
}

async function countRemainingRows(databaseFile: string): Promise<{ tablesChecked: number; individualRowsRemaining: number }> {
  if (!fs.existsSync(databaseFile)) return { tablesChecked: 0, individualRowsRemaining: 0 };
  // Read-only: verifying must not write a WAL or a temporary file into the folder it has just cleaned.
  const instance = await DuckDBInstance.create(databaseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const { kept, deleted } = await countTables(connection);
    return { tablesChecked: kept.length + deleted.length, individualRowsRemaining: deleted.reduce((sum, t) => sum + t.rows, 0) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
