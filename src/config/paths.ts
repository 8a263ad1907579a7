import path from 'node:path';

/** Where a store and its reports live. Several stores can coexist (`--data-dir`, `--reports-dir`). */
export interface Paths {
  dataDir: string;
  reportsDir: string;
}

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_REPORTS_DIR = './reports';

export function resolvePaths(options: { dataDir?: string; reportsDir?: string }, env = process.env): Paths {
  return {
    dataDir: path.resolve(options.dataDir ?? env.PIPELINE_DATA_DIR ?? DEFAULT_DATA_DIR),
    reportsDir: path.resolve(options.reportsDir ?? env.PIPELINE_REPORTS_DIR ?? DEFAULT_REPORTS_DIR),
  };
}

/** The fixed layout inside a data dir (documented in docs/schema.md). */
export function storeLayout(dataDir: string) {
  return {
    databaseFile: path.join(dataDir, 'pipeline.duckdb'),
    /** Files dropped here are imported by `pipeline run` (recognised by content, each loaded once). */
    inboxDir: path.join(dataDir, 'inbox'),
    /** Durable landing files written by `pipeline serve`, loaded by `ingest`/`run`. */
    landingDir: path.join(dataDir, 'landing'),
    /** The web service's own state (received-key index, operator accounts). */
    serviceDir: path.join(dataDir, 'service'),
    logsDir: path.join(dataDir, 'logs'),
    /** DuckDB spill files and other scratch space, inside the data dir so that purge finds them. */
    tmpDir: path.join(dataDir, 'tmp'),
  };
}
