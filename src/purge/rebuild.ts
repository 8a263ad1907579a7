import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { storeLayout } from '../config/paths.js';
import { applyMigrations } from '../store/migrations.js';
import { quoteIdentifier, quoteLiteral } from '../store/quote.js';
import { isKeptTable, REBUILD_SUFFIX, KEPT_COLUMN_REWRITES } from './allow-list.js';
import { removeDurably } from './durable-fs.js';
import { fsyncPath } from '../util/fsync.js';
import { failpoint } from './failpoint.js';

/**
 * Rebuilds the store into a fresh file that only ever received the kept tables, then renames it over the old
 * one (purge issue): deleting rows would leave their bytes in freed pages of the old file, a fresh file cannot
 * hold them. Crash-safe: until the rename the old file is intact; the rename is atomic; a stale half-written
 * new file is removed by the next attempt.
 */
export async function rebuildStore(dataDir: string): Promise<void> {
  const layout = storeLayout(dataDir);
  const oldFile = layout.databaseFile;
  const newFile = `${oldFile}${REBUILD_SUFFIX}`;
  removeDurably(newFile);
  removeDurably(`${newFile}.wal`);
  fs.mkdirSync(layout.tmpDir, { recursive: true, mode: 0o700 });
  const previousUmask = process.umask(0o077);
  try {
    const instance = await DuckDBInstance.create(newFile, { temp_directory: layout.tmpDir });
    const connection = await instance.connect();
    try {
      // The fresh file gets the whole current schema (individual tables empty), so every command still works.
      await applyMigrations(connection);
      if (fs.existsSync(oldFile)) await copyKeptTables(connection, oldFile);
      await connection.run('checkpoint');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    process.umask(previousUmask);
  }
  fsyncPath(newFile);
  failpoint('rebuild-written');
  // The old WAL belongs to the old file (its kept rows are already copied: ATTACH replays it). Removed before
  // the rename, because a WAL left next to the new file would be replayed into it on the next open.
  removeDurably(`${oldFile}.wal`);
  removeDurably(`${newFile}.wal`);
  fs.renameSync(newFile, oldFile);
  fsyncPath(path.dirname(oldFile));
  failpoint('rebuild-renamed');
  removeDurably(layout.tmpDir);
}

async function copyKeptTables(connection: DuckDBConnection, oldFile: string): Promise<void> {
  // A file path cannot be a bound parameter in ATTACH: quoted with the quoting helper (house style).
  await connection.run(`attach ${quoteLiteral(oldFile)} as purge_old (read_only)`);
  try {
    const oldTables = await tableNames(connection, 'purge_old');
    const newTables = new Set(await tableNames(connection, 'main_db'));
    for (const table of oldTables.filter((name) => isKeptTable('main', name))) {
      const target = `main.${quoteIdentifier(table)}`;
      const rewrites = Object.entries(KEPT_COLUMN_REWRITES[table] ?? {});
      const replaced = rewrites.length === 0 ? '' : ` replace (${rewrites.map(([column, sql]) => `${sql} as ${quoteIdentifier(column)}`).join(', ')})`;
      const source = `(select *${replaced} from purge_old.main.${quoteIdentifier(table)})`;
      if (newTables.has(table)) {
        // The new file's own migration rows and defaults are replaced by the old store's rows, column by name.
        await connection.run(`delete from ${target}; insert into ${target} by name select * from ${source}`);
      } else {
        await connection.run(`create table ${target} as select * from ${source}`);
      }
    }
  } finally {
    await connection.run('detach purge_old');
  }
}

async function tableNames(connection: DuckDBConnection, database: 'purge_old' | 'main_db'): Promise<string[]> {
  const filter = database === 'purge_old' ? `database_name = 'purge_old'` : 'database_name = current_database()';
  const reader = await connection.runAndReadAll(
    `select table_name from duckdb_tables() where ${filter} and schema_name = 'main' and not temporary order by table_name`,
  );
  return reader.getRowObjectsJS().map((row) => String(row.table_name));
}
