import fs from 'node:fs';
import path from 'node:path';
import type { Output } from '../cli/output.js';
import { storeLayout } from '../config/paths.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/database.js';
import { DEFAULT_PROGRAMME_START_S } from './codes.js';
import { ingestSessionFile, loadPreparedFile, type FileReport, type PreparedFile } from './ingest-file.js';
import { sha256File } from '../util/hash.js';
import { createPreparer } from './prepare-pool.js';
import type { SessionFormat } from './parse-sessions.js';
import { sniffFile, type FileKind } from '../formats/sniff.js';
import { importCarbonInboxFile, importRegistryInboxFile } from './inbox-importers.js';
import { removeStalePointFiles } from './load/points-file.js';
import { retryHeldSessions } from './retry.js';
import { addFileReport, emptySummary, type IngestSummary } from './summary.js';

/**
 * `pipeline ingest <file|dir>...`: each session file in its own transaction, then the web service's pending landing
 * files, then (with --retry) the held sessions. Folders are walked recursively, in name order (deterministic).
 */
export interface IngestOptions {
  format: SessionFormat | 'auto';
  retry: boolean;
  programmeStartS?: number;
  nowS?: number;
  errorsLimit: number;
  /** See DEFAULT_POWER_TOLERANCE (rule 208). */
  powerTolerance?: number;
  output: Output;
}

export async function ingestPaths(store: Store, inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const summary = emptySummary();
  const validation = {
    nowS: options.nowS ?? Math.floor(Date.now() / 1000),
    programmeStartS: options.programmeStartS ?? DEFAULT_PROGRAMME_START_S,
    powerTolerance: options.powerTolerance,
  };
  removeStalePointFiles(storeLayout(store.dataDir).tmpDir);
  const files = await importReferenceFiles(store, inputs.flatMap((input) => expandPath(input)), options, summary);
  const add = (report: FileReport) => addFileReport(summary, report, options.errorsLimit);
  const fileOptions = { ...validation, format: options.format };
  // The next file is prepared (read, parsed, validated) while the current one loads (prepare-pool.ts).
  const preparer = createPreparer();
  try {
    const queue: Promise<PreparedFile>[] = [];
    let requested = 0;
    const fill = () => {
      while (requested < files.length && queue.length < preparer.depth) queue.push(quiet(preparer.prepare(files[requested++], fileOptions)));
    };
    fill();
    for (const [i, file] of files.entries()) {
      options.output.progress(`ingest ${i + 1}/${files.length}: ${path.basename(file)}`);
      const prepared = await queue.shift()!;
      fill();
      add(await loadPreparedFile(store, prepared, fileOptions));
    }
  } finally {
    await preparer.close();
  }
  for (const file of await pendingLandingFiles(store)) {
    add(await ingestSessionFile(store, file, { ...validation, format: 'advenir-landing' }));
  }
  if (options.retry) {
    const report = await retryHeldSessions(store, { powerTolerance: options.powerTolerance });
    add(report);
    summary.files -= 1;
  }
  options.output.endProgress();
  return summary;
}

/**
 * With --format auto, registry and carbon files given to `ingest` are imported first (sessions need their charge
 * points) by the src/formats importers; the session files are returned, in their given order.
 */
async function importReferenceFiles(store: Store, files: string[], options: IngestOptions, summary: IngestSummary): Promise<string[]> {
  if (options.format !== 'auto') return files;
  const kinds = new Map<string, FileKind>();
  for (const file of files) kinds.set(file, await sniffFile(file));
  const reference = files
    .filter((f) => REFERENCE_ORDER[kinds.get(f)!] !== undefined)
    .sort((a, b) => REFERENCE_ORDER[kinds.get(a)!]! - REFERENCE_ORDER[kinds.get(b)!]!);
  for (const file of reference) {
    const kind = kinds.get(file)!;
    options.output.progress(`import ${kind}: ${path.basename(file)}`);
    await (kind === 'carbon' ? importCarbonInboxFile(store, file) : importRegistryInboxFile(store, file));
    summary.reference_files.push({ file, kind });
  }
  return files.filter((f) => REFERENCE_ORDER[kinds.get(f)!] === undefined);
}

const REFERENCE_ORDER: Partial<Record<FileKind, number>> = { 'registry-advenir': 0, 'registry-irve': 1, carbon: 2 };

/** A promise whose rejection is handled when awaited, not reported as unhandled if the loop stops first. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function expandPath(input: string, skipDocs = true): string[] {
  const resolved = path.resolve(input);
  if (!fs.existsSync(resolved)) throw new AppError('FILE_NOT_FOUND', `${input} does not exist`);
  if (!fs.statSync(resolved).isDirectory()) return [resolved];
  return fs
    .readdirSync(resolved, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    // Documentation beside data (README.md, SOURCES.md) is not input; an explicitly named file is always read.
    .filter((entry) => !entry.name.startsWith('.') && !(skipDocs && /\.(md|txt)$/i.test(entry.name)))
    .flatMap((entry) => expandPath(path.join(resolved, entry.name), skipDocs));
}

/** Landing files (`*.json`, renamed into place by `pipeline serve`) whose content was not loaded yet. */
export async function pendingLandingFiles(store: Store): Promise<string[]> {
  const dir = storeLayout(store.dataDir).landingDir;
  if (!fs.existsSync(dir)) return [];
  const files = expandPath(dir).filter((file) => file.endsWith('.json'));
  if (files.length === 0) return [];
  const reader = await store.connection.runAndReadAll(`select distinct source_sha256 from ingest_batches where route = 'webservice'`);
  const loaded = new Set(reader.getRowObjectsJS().map((row) => String(row.source_sha256)));
  return files.filter((file) => !loaded.has(sha256File(file)));
}
