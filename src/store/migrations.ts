import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlDir } from './sql-files.js';

/**
 * Versioned migrations: `sql/migrations/NNN_name.sql`, applied in order, each in one transaction and
 * recorded in `schema_migrations`. A migration is never edited once released; add a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = path.join(sqlDir(), 'migrations')): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }));
}

export async function applyMigrations(connection: DuckDBConnection): Promise<number[]> {
  await connection.run(`
    create table if not exists schema_migrations (
      version integer primary key,
      name varchar not null,
      applied_at timestamptz not null
    )`);
  const reader = await connection.runAndReadAll('select version from schema_migrations');
  const applied = new Set(reader.getRowObjectsJS().map((row) => Number(row.version)));
  const newlyApplied: number[] = [];
  for (const migration of listMigrations()) {
    if (applied.has(migration.version)) continue;
    await connection.run('begin transaction');
    try {
      await connection.run(migration.sql);
      await connection.run('insert into schema_migrations values ($version, $name, now())', {
        version: migration.version,
        name: migration.name,
      });
      await connection.run('commit');
    } catch (error) {
      await connection.run('rollback').catch(() => undefined);
      throw error;
    }
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}
