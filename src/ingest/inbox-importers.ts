import { importCarbonFile } from '../formats/carbon/import.js';
import { importRegistryFile } from '../formats/registry/import.js';
import type { Store } from '../store/database.js';

/**
 * The registry and carbon importers of src/formats, as importInbox and `pipeline ingest` call them (kind inferred
 * from the content: eCO2mix = production, ODRÉ = consumption, Electricity Maps = lifecycle). Kept apart so that
 * the ingest code does not depend on their summaries' shapes.
 */
export async function importRegistryInboxFile(store: Store, file: string): Promise<void> {
  await importRegistryFile(store, file);
}

export async function importCarbonInboxFile(store: Store, file: string): Promise<void> {
  await importCarbonFile(store, file, {});
}
