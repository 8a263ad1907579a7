import fs from 'node:fs';
import path from 'node:path';
import { CERTIFICATE_JSON, CERTIFICATE_TXT } from './allow-list.js';
import { writeFileDurably } from './durable-fs.js';
import { sha256File } from '../util/hash.js';
import type { KeptFile } from './inventory.js';
import { MIN_IDENTIFIER_BYTES } from './identifiers.js';
import type { PurgeState, Verification } from './state.js';
import { fsyncPath } from '../util/fsync.js';

export interface PurgeCertificate {
  certificate: 'advenir-pipeline end-of-programme purge';
  purged_at: string;
  certified_at: string;
  product_version: string;
  data_dir: string;
  reports_dir: string;
  deleted: {
    tables: { name: string; rows: number }[];
    rows: number;
    files: { folder: string; files: number; bytes: number }[];
    file_count: number;
    bytes: number;
    database_rebuilt: true;
  };
  kept: {
    tables: { name: string; rows: number }[];
    reports: KeptFile[];
    data_files: KeptFile[];
  };
  /** What a purge of the data folder cannot reach (docs/purge.md, limits). */
  not_covered: { external_input_files: number; note: string };
  verification: Verification & { identifier_sample: PurgeState['plan']['sample'] };
}

/** Builds the certificate from counts and hashes only: it never names a file of the inbox or an identifier. */
export function buildCertificate(state: PurgeState, verification: Verification, dirs: { dataDir: string; reportsDir: string }, keptDataFiles: string[]): PurgeCertificate {
  const { plan } = state;
  return {
    certificate: 'advenir-pipeline end-of-programme purge',
    purged_at: state.purgedAt,
    certified_at: new Date().toISOString(),
    product_version: state.productVersion,
    data_dir: dirs.dataDir,
    reports_dir: dirs.reportsDir,
    deleted: {
      tables: plan.deletedTables,
      rows: plan.deletedTables.reduce((sum, t) => sum + t.rows, 0),
      files: plan.deletedFiles.byFolder,
      file_count: plan.deletedFiles.total.files,
      bytes: plan.deletedFiles.total.bytes,
      database_rebuilt: true,
    },
    kept: {
      tables: plan.keptTables,
      reports: plan.keptReports,
      data_files: keptDataFiles.map((name) => {
        const file = path.join(dirs.dataDir, name);
        return { path: name, bytes: fs.statSync(file).size, sha256: sha256File(file) };
      }),
    },
    not_covered: {
      external_input_files: plan.externalInputFiles ?? 0,
      note: 'input files loaded from outside the data folder, backups and snapshots are not deleted by the purge',
    },
    verification: { ...verification, identifier_sample: plan.sample },
  };
}

/**
 * A purge run again after one was certified (files reappeared in the purged folder) certifies only what it
 * deleted then: the first certificate, the one with the programme's counts, is kept beside it under the next
 * free name `purge-certificate-<n>.json/.txt` (n = 1, 2, ...), never overwritten.
 */
export function archiveCertificate(reportsDir: string): string | undefined {
  const json = path.join(reportsDir, CERTIFICATE_JSON);
  if (!fs.existsSync(json)) return undefined;
  let n = 1;
  const named = (k: number, name: string) => path.join(reportsDir, name.replace(/\.(json|txt)$/, `-${k}.$1`));
  while (fs.existsSync(named(n, CERTIFICATE_JSON))) n += 1;
  const txt = path.join(reportsDir, CERTIFICATE_TXT);
  if (fs.existsSync(txt)) fs.renameSync(txt, named(n, CERTIFICATE_TXT));
  fs.renameSync(json, named(n, CERTIFICATE_JSON));
  fsyncPath(reportsDir);
  return named(n, CERTIFICATE_JSON);
}

/** Writes the readable `.txt` then the `.json`, each atomically: a rerun of the same purge overwrites both. */
export function writeCertificate(reportsDir: string, certificate: PurgeCertificate): { json: string; txt: string } {
  fs.mkdirSync(reportsDir, { recursive: true });
  const json = path.join(reportsDir, CERTIFICATE_JSON);
  const txt = path.join(reportsDir, CERTIFICATE_TXT);
  writeFileDurably(txt, renderCertificateText(certificate), 0o644);
  writeFileDurably(json, `${JSON.stringify(certificate, null, 2)}\n`, 0o644);
  return { json, txt };
}

export function renderCertificateText(c: PurgeCertificate): string {
  const v = c.verification;
  const lines = [
    'END-OF-PROGRAMME PURGE CERTIFICATE (Advenir charging-data pipeline)',
    '',
    `Purge started:      ${c.purged_at}`,
    `Certified:          ${c.certified_at}`,
    `Product version:    ${c.product_version}`,
    `Data folder:        ${c.data_dir}`,
    `Reports folder:     ${c.reports_dir}`,
    '',
    `DELETED: ${c.deleted.rows} individual row(s) in ${c.deleted.tables.length} table(s); ${c.deleted.file_count} file(s), ${c.deleted.bytes} byte(s)`,
    ...c.deleted.tables.map((t) => `  table  ${t.name.padEnd(28)} ${String(t.rows).padStart(12)} row(s)`),
    ...c.deleted.files.map((f) => `  folder ${f.folder.padEnd(28)} ${String(f.files).padStart(12)} file(s) ${f.bytes} byte(s)`),
    '  The database was rebuilt into a fresh file holding only the kept tables; the old file was deleted.',
    `NOT COVERED: ${c.not_covered.external_input_files} input file(s) loaded from outside the data folder still exist; ${c.not_covered.note}.`,
    '',
    'KEPT:',
    ...c.kept.tables.map((t) => `  table  ${t.name.padEnd(28)} ${String(t.rows).padStart(12)} row(s)`),
    ...[...c.kept.reports.map((f) => ({ ...f, root: 'reports' })), ...c.kept.data_files.map((f) => ({ ...f, root: 'data' }))].map(
      (f) => `  ${f.root.padEnd(8)}${f.sha256}  ${f.path} (${f.bytes} bytes)`,
    ),
    '',
    `VERIFICATION: ${v.passed ? 'PASSED' : 'FAILED'}`,
    ...v.method.map((m) => `  - ${m}`),
    `  identifiers searched: ${v.identifiersSearched} (${Object.entries(v.identifier_sample.searched).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `  identifiers known before the purge: ${Object.entries(v.identifier_sample.known).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    `  not searched: ${v.identifier_sample.notDistinctive} shorter than ${MIN_IDENTIFIER_BYTES} bytes, ${v.identifier_sample.occurInKeptData} occurring inside kept values or the schema`,
    `  files searched: ${v.filesSearched}, bytes searched: ${v.bytesSearched}, matches: ${v.matches.length}`,
    `  tables checked: ${v.tablesChecked}, individual rows remaining: ${v.individualRowsRemaining}, unexpected files: ${v.unexpectedFiles}`,
    `  reports unchanged: ${v.reportsUnchanged ? 'yes' : 'NO'}`,
    '',
    'Check it yourself: grep -r -F -c <identifier> <data folder>   (expect no match)',
    '                   sha256sum <each kept file>                  (expect the hashes above)',
  ];
  return `${lines.join('\n')}\n`;
}
