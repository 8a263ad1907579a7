import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AppError } from '../errors.js';
import { storeLayout } from '../config/paths.js';
import { applyMigrations } from './migrations.js';
import { ensurePrivateDir } from '../util/private-dir.js';

/**
 * An open store: one DuckDB file in the data dir. Only one process may hold it for writing
 * (architecture.md), so commands open it for the duration of their work and close it at the end.
 */
export interface Store {
  dataDir: string;
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

export interface OpenStoreOptions {
  /** Memory limit handed to DuckDB, e.g. '4GB'. */
  memoryLimit?: string;
  threads?: number;
}

export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<Store> {
  const layout = storeLayout(dataDir);
  ensurePrivateDir(dataDir);
  ensurePrivateDir(layout.tmpDir);
  // New files (the database, its WAL, exports) are created 0600.
  const previousUmask = process.umask(0o077);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(layout.databaseFile, {
      temp_directory: layout.tmpDir,
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
      ...(options.threads ? { threads: String(options.threads) } : {}),
    });
  } catch (error) {
    process.umask(previousUmask);
    throw translateOpenError(error, layout.databaseFile);
  }
  const connection = await instance.connect();
  const store: Store = {
    dataDir,
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
      process.umask(previousUmask);
    },
  };
  try {
    await applyMigrations(connection);
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

function translateOpenError(error: unknown, file: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) {
    return new AppError('STORE_LOCKED', `the store ${file} is in use by another process; retry when it has finished`, {
      cause: error,
    });
  }
  return new AppError('STORE_ERROR', `cannot open the store ${file}: ${message}`, { cause: error });
}

/** Runs `fn` inside one transaction: all of it is committed, or none of it (a crash rolls back on reopen). */
export async function inTransaction<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await connection.run('begin transaction');
  try {
    const result = await fn();
    await connection.run('commit');
    return result;
  } catch (error) {
    await connection.run('rollback').catch(() => undefined);
    throw error;
  }
}
