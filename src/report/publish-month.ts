import path from 'node:path';
import type { Output } from '../cli/output.js';
import type { Paths } from '../config/paths.js';
import type { RunParams } from '../config/params.js';
import { buildIndicators } from '../indicators/build-indicators.js';
import { timed } from '../indicators/sql-runner.js';
import { suppressMonth } from '../privacy/suppress-month.js';
import type { Store } from '../store/database.js';
import { readSql } from '../store/sql-files.js';
import type { MonthRange } from '../util/month.js';
import { replaceDirAtomically } from './atomic-dir.js';
import { inputFingerprint } from './fingerprint.js';
import { MANIFEST_FILE, writeManifest } from './manifest.js';
import { countRows } from './table-export.js';
import { readNationalRow, type NationalRow } from './national-row.js';
import { REPORT_WRITERS, TABLE_EXPORTS, type ReportWriter } from './writers.js';
import { writeReportsIndex } from './html/reports-index.js';

export interface PublishSummary {
  reportDir: string;
  files: string[];
  /** Rows of indicators.csv (one per cell). */
  rows: number;
  suppressedCells: Record<string, number>;
  carbonKind: string;
  /** The national row as published (values null when the national cell is suppressed). */
  national: NationalRow;
}

export interface PublishOptions {
  month: MonthRange;
  params: RunParams;
  paths: Paths;
  output: Output;
  runId: number;
  /** Extra writers after REPORT_WRITERS (tests use it to fail or stall a run mid-way). */
  extraWriters?: ReportWriter[];
  /** The run time recorded in the manifest (the only value that differs between two identical runs). */
  now?: Date;
}

const REPORT_MODELS = ['macros/published.sql', 'marts/report_indicators.sql', 'marts/report_load_profile.sql', 'marts/report_quality.sql'];

/** The published tables (report_*): rounded, with suppressed cells emptied, from the marts and the mask. */
export async function buildReportTables(store: Store): Promise<void> {
  for (const model of REPORT_MODELS) await store.connection.run(readSql(model));
}

/**
 * Publishes reports/<month>/ from the month tables made by buildMonthModels: indicators (sql/marts), disclosure
 * control (privacy/), then every file in a temporary folder renamed into place as a whole.
 */
export async function publishMonth(store: Store, options: PublishOptions): Promise<PublishSummary> {
  const { month, params, paths, output } = options;
  const indicators = await timed('indicators', () => buildIndicators(store, month, params));
  const suppression = await timed('disclosure control', () => suppressMonth(store, params));
  await timed('report tables', () => buildReportTables(store));
  const rows: Record<string, number> = {};
  for (const [name, spec] of Object.entries(TABLE_EXPORTS)) rows[name] = await countRows(store, spec.table);
  const fingerprint = await timed('input fingerprint', () => inputFingerprint(store));

  const files: string[] = [];
  let manifest = '';
  const reportDir = await replaceDirAtomically(paths.reportsDir, month.month, async (dir) => {
    const context = { store, dir, month, params, carbon: indicators.carbon, suppression };
    for (const writer of [...REPORT_WRITERS, ...(options.extraWriters ?? [])]) {
      files.push(...(await timed(`report writer ${writer.name || 'extra'}`, () => writer(context))));
    }
    manifest = writeManifest(dir, {
      month: month.month,
      runId: options.runId,
      generatedAt: options.now ?? new Date(),
      params,
      carbon: indicators.carbon,
      missingCarbonPct: suppression.mask.national ? null : indicators.missingCarbonPct,
      inputFingerprint: fingerprint,
      rows,
      suppressedCells: suppression.suppressedCells,
    });
    files.push(MANIFEST_FILE);
  });
  writeReportsIndex(paths.reportsDir);
  // The store keeps how each run's files were made (runs.manifest_json), e.g. for `pipeline status`.
  await store.connection.run('update runs set manifest_json = $manifest where run_id = $runId', { manifest, runId: options.runId });
  const suppressed = Object.values(suppression.suppressedCells).reduce((a, b) => a + b, 0);
  output.info(`${month.month}: ${rows.indicators} cells, ${suppressed} suppressed; carbon series '${indicators.carbon.kind}'`);
  return {
    reportDir: path.resolve(reportDir),
    files,
    rows: rows.indicators,
    suppressedCells: suppression.suppressedCells,
    carbonKind: indicators.carbon.kind,
    national: await readNationalRow(store),
  };
}
