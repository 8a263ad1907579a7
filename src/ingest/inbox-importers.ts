import { importRegistryFile } from '../formats/registry/import.js';
import type { Store } from '../store/database.js';

/**
 * The registry and carbon importers of src/formats, as importInbox calls them. Kept apart so that the inbox
 * does not depend on their summaries' shapes.
 */
export async function importRegistryInboxFile(store: Store, file: string): Promise<void> {
  await importRegistryFile(store, file);
}

/** Carbon series: src/formats/carbon is loaded at run time so that the inbox works before it exists. */
export async function importCarbonInboxFile(store: Store, file: string): Promise<void> {
  const specifier = '../formats/carbon/import.js';
  const module = (await import(specifier)) as { importCarbonFile?: (s: Store, f: string, o: { kind?: string }) => Promise<unknown> };
  if (!module.importCarbonFile) throw new Error('carbon import is not available');
  await module.importCarbonFile(store, file, {});
}
