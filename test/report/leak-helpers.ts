import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../src/store/database.js';

/** Every identifier the store holds (privacy.md: none may appear in a report or a default-level log line). */
export async function storeIdentifiers(store: Store): Promise<string[]> {
  const reader = await store.connection.runAndReadAll(`
    select distinct id from (
      select unnest([user_id, station_id, transaction_id]) as id from sessions
      union all select unnest([user_id, station_id, id_pdc_itinerance]) from charge_points
      union all select unnest([user_id, station_id, transaction_id]) from rejections
    ) where id is not null and length(id) >= 4`);
  return reader.getRowObjectsJS().map((row) => String(row.id));
}

/** The text of every report file: raw bytes, and for Parquet also every decoded value (the pages are compressed). */
export async function reportTexts(store: Store, dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const file of fs.readdirSync(dir)) {
    const full = path.join(dir, file);
    let text = fs.readFileSync(full).toString('latin1') + fs.readFileSync(full, 'utf8');
    if (file.endsWith('.parquet')) {
      const reader = await store.connection.runAndReadAll(`select * from read_parquet('${full.replaceAll("'", "''")}')`);
      text += JSON.stringify(reader.getRowsJS(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      const meta = await store.connection.runAndReadAll(`select * from parquet_kv_metadata('${full.replaceAll("'", "''")}')`);
      text += JSON.stringify(meta.getRowsJS(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    }
    texts.set(file, text);
  }
  return texts;
}


/** Identifiers found in a text, by tokens (fast on registries of thousands of charge points) and by substring for the short list. */
export function findIdentifiers(text: string, identifiers: string[], substringLimit = 2000): string[] {
  const tokens = new Set(text.split(/[\s,;"'{}\[\]:<>=()|]+/));
  const found = identifiers.filter((id) => tokens.has(id));
  if (identifiers.length <= substringLimit) found.push(...identifiers.filter((id) => !tokens.has(id) && text.includes(id)));
  return found;
}
