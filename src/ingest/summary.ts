import type { FileReport } from './ingest-file.js';

/**
 * The `pipeline ingest --json` document (issue 3). `rejected_by_code` counts refused sessions, duplicates apart;
 * `errors` lists every refused session, duplicates (202) included, capped at `errorsLimit`; the counts never are.
 */
export interface IngestSummary {
  files: number;
  sessions: { received: number; accepted: number; duplicates: number; rejected: number };
  rejected_by_code: Record<string, number>;
  errors: { file: string; user_id: string | null; station_id: string | null; transaction_id: string | null; code: number; message: string }[];
  errors_total: number;
  file_errors: { file: string; code: number | string; message: string }[];
  curve_points: number;
  /** Files whose exact content was loaded before: evaluated again, nothing written. */
  already_loaded: number;
  /** Registry and carbon files given to `ingest`, imported before the sessions (not counted in `files`). */
  reference_files: { file: string; kind: string }[];
}

export function emptySummary(): IngestSummary {
  return {
    files: 0,
    sessions: { received: 0, accepted: 0, duplicates: 0, rejected: 0 },
    rejected_by_code: {},
    errors: [],
    errors_total: 0,
    file_errors: [],
    curve_points: 0,
    already_loaded: 0,
    reference_files: [],
  };
}

export function addFileReport(summary: IngestSummary, report: FileReport, errorsLimit: number): void {
  summary.files += 1;
  summary.sessions.received += report.received;
  summary.sessions.accepted += report.accepted;
  summary.sessions.duplicates += report.duplicates;
  summary.sessions.rejected += report.rejected;
  summary.curve_points += report.curvePoints;
  if (report.alreadyLoaded) summary.already_loaded += 1;
  for (const [code, n] of Object.entries(report.rejectedByCode)) summary.rejected_by_code[code] = (summary.rejected_by_code[code] ?? 0) + n;
  if (report.fileError) summary.file_errors.push({ file: report.file, code: report.fileError.code, message: report.fileError.message });
  summary.errors_total += report.refusals.length;
  for (const r of report.refusals) {
    if (summary.errors.length >= errorsLimit) break;
    summary.errors.push({
      file: report.file,
      user_id: r.userId ?? null,
      station_id: r.stationId ?? null,
      transaction_id: r.transactionId ?? null,
      code: r.code,
      message: r.message,
    });
  }
}

/** Text for a person: counts only, no identifier (house rule for default-level output). */
export function formatSummary(summary: IngestSummary): string {
  const s = summary.sessions;
  const lines = [
    `files: ${summary.files}${summary.already_loaded ? ` (${summary.already_loaded} already loaded, nothing written)` : ''}`,
    `sessions: ${s.received} received, ${s.accepted} accepted, ${s.duplicates} duplicates, ${s.rejected} rejected`,
  ];
  const codes = Object.entries(summary.rejected_by_code).sort(([a], [b]) => Number(a) - Number(b));
  if (codes.length) lines.push(`rejected by code: ${codes.map(([code, n]) => `${code}: ${n}`).join(', ')}`);
  for (const r of summary.reference_files) lines.push(`imported ${r.kind}: ${r.file}`);
  for (const e of summary.file_errors) lines.push(`file error ${e.code}: ${e.file}: ${e.message}`);
  return lines.join('\n');
}
