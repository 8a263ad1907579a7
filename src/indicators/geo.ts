import { createRequire } from 'node:module';
import type { Store } from '../store/database.js';

/**
 * INSEE regions from @etalab/decoupage-administratif (the same source the registry importer resolves communes
 * with). Every region is a cell of every month, overseas ones included (sql/marts/mart_cells.sql).
 */
export interface Region {
  code: string;
  name: string;
  metropolitan: boolean;
}

const require = createRequire(import.meta.url);

let cached: Region[] | undefined;

export function listRegions(): Region[] {
  if (cached) return cached;
  const raw = require('@etalab/decoupage-administratif/data/regions.json') as Array<{ code: string; nom: string; zone: string }>;
  cached = raw
    .filter((region) => region.zone === 'metro' || region.zone === 'drom')
    .map((region) => ({ code: region.code, name: region.nom, metropolitan: region.zone === 'metro' }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return cached;
}

/** Loads the region list into the temp table `geo_regions` read by sql/marts/mart_cells.sql. */
export async function loadGeoRegions(store: Store): Promise<void> {
  const connection = store.connection;
  await connection.run('create or replace temp table geo_regions (region_code varchar, region_name varchar, metropolitan boolean)');
  for (const region of listRegions()) {
    await connection.run('insert into geo_regions values ($code, $name, $metropolitan)', {
      code: region.code,
      name: region.name,
      metropolitan: region.metropolitan,
    });
  }
}
