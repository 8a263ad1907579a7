import { AppError } from '../errors.js';
import type { Store } from './database.js';

/** Reads one fact about the store (`store_meta`), or undefined. */
export async function readMeta(store: Store, key: string): Promise<string | undefined> {
  const reader = await store.connection.runAndReadAll('select value from store_meta where key = $key', { key });
  const rows = reader.getRowObjectsJS();
  return rows.length ? String(rows[0].value) : undefined;
}

export async function writeMeta(store: Store, key: string, value: string): Promise<void> {
  await store.connection.run('insert or replace into store_meta values ($key, $value)', { key, value });
}

/** After `pipeline purge`, nothing may bring individual data back into the store (purge issue). */
export async function assertNotPurged(store: Store, action: string): Promise<void> {
  const purgedAt = await readMeta(store, 'purged_at');
  if (purgedAt) {
    throw new AppError('STORE_PURGED', `the store was purged on ${purgedAt}; '${action}' would bring individual data back and is refused`);
  }
}
