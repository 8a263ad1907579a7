import type { ReportWriter } from '../writers.js';
import { REPORT_HTML_FILE, writeReportHtml } from './write-report-html.js';

/**
 * The HTML report as one of publishMonth's writers (src/report/writers.ts REPORT_WRITERS). It runs after the
 * table writers, in the temporary folder, and uses only what they wrote plus the run's parameters and carbon
 * series: the store in the context is deliberately not touched (privacy by construction).
 */
export const htmlReportWriter: ReportWriter = async (context) => {
  await writeReportHtml(context.dir, {
    month: context.month.month,
    params: context.params,
    carbon: { kind: context.carbon.kind, sources: context.carbon.sources },
  });
  return [REPORT_HTML_FILE];
};
