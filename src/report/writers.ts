import type { RunParams } from '../config/params.js';
import type { CarbonSeries } from '../indicators/carbon-kind.js';
import type { SuppressionSummary } from '../privacy/suppress-month.js';
import type { Store } from '../store/database.js';
import type { MonthRange } from '../util/month.js';
import { exportTable, type TableExport } from './table-export.js';
import { htmlReportWriter } from './html/report-writer.js';

/** What a report writer gets: the store with the month's report_* tables, and the folder being filled. */
export interface ReportContext {
  store: Store;
  /** The temporary folder that becomes reports/<month>/ once every writer has succeeded. */
  dir: string;
  month: MonthRange;
  params: RunParams;
  carbon: CarbonSeries;
  suppression: SuppressionSummary;
}

/** Writes one or more files into context.dir and returns their names. */
export type ReportWriter = (context: ReportContext) => Promise<string[]>;

const NATIONAL_FIRST = `geo_level <> 'national', geo_code`;

export const TABLE_EXPORTS: Record<string, TableExport> = {
  indicators: { table: 'report_indicators', baseName: 'indicators', orderBy: NATIONAL_FIRST, formats: ['csv', 'parquet'] },
  load_profile: {
    table: 'report_load_profile',
    baseName: 'load_profile',
    orderBy: `${NATIONAL_FIRST}, day_type, local_time`,
    formats: ['csv', 'parquet'],
  },
  quality: {
    table: 'report_quality',
    baseName: 'quality',
    orderBy: 'scope, metric, route nulls first, code nulls first',
    formats: ['csv'],
  },
};

function tableWriter(spec: TableExport): ReportWriter {
  const writer: ReportWriter = (context) => exportTable(context.store, spec, context.dir, context.params.csvLocale);
  // Named after its files, for PIPELINE_PROFILE's per-step timings.
  return Object.defineProperty(writer, 'name', { value: `${spec.baseName}.${spec.formats.join('/')}` });
}

/**
 * The files of reports/<month>/, written in this order; manifest.json is written after all of them.
 * HOOK for the HTML report: add its writer (e.g. `writeHtmlReport`, producing report.html from the report_*
 * tables) to this list. Writers must not print identifiers and must be deterministic.
 */
export const REPORT_WRITERS: ReportWriter[] = [
  tableWriter(TABLE_EXPORTS.indicators),
  tableWriter(TABLE_EXPORTS.load_profile),
  tableWriter(TABLE_EXPORTS.quality),
  htmlReportWriter,
];
