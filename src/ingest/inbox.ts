import fs from 'node:fs';
import path from 'node:path';
import type { Output } from '../cli/output.js';
import { storeLayout } from '../config/paths.js';
import { sniffFile, type FileKind } from '../formats/sniff.js';
import type { Store } from '../store/database.js';
import { importCarbonInboxFile, importRegistryInboxFile } from './inbox-importers.js';
import { ingestSessionFile, type FileReport } from './ingest-file.js';
import { sha256File } from '../util/hash.js';
import { expandPath, pendingLandingFiles } from './ingest-paths.js';
import { removeStalePointFiles } from './load/points-file.js';
import { retryHeldSessions } from './retry.js';
import type { SessionFormat } from './parse-sessions.js';
import { DEFAULT_PROGRAMME_START_S } from './codes.js';

/**
 * `pipeline run` step 1 (contract with the lead): import every inbox file not loaded before (by sha256),
 * recognised by content, in dependency order: registry files first (sessions need their charge points), then
 * carbon series, then session files; then the web service's landing files; then the held sessions.
 */
export interface InboxImportSummary {
  files: number;
  newFiles: number;
  sessions: { received: number; accepted: number; duplicates: number; rejected: number };
  /** Sessions held for an unknown charge point (209) that this import could finally accept. */
  heldAccepted: number;
}

const ORDER: Record<FileKind, number> = {
  'registry-advenir': 0,
  'registry-irve': 1,
  carbon: 2,
  'advenir-payload': 3,
  'ocpi-cdr': 3,
  'irve-sessions': 3,
  'advenir-landing': 3,
  unknown: 4,
};

const SESSION_FORMAT: Partial<Record<FileKind, SessionFormat>> = {
  'advenir-payload': 'advenir',
  'ocpi-cdr': 'ocpi-cdr',
  'irve-sessions': 'irve-sessions',
  'advenir-landing': 'advenir-landing',
};

export async function importInbox(store: Store, options: { output: Output; nowS?: number; programmeStartS?: number }): Promise<InboxImportSummary> {
  const inboxDir = storeLayout(store.dataDir).inboxDir;
  // Markdown beside the data (the bundled sample's README.md) is documentation; any other file is recognised by
  // its content, whatever its name.
  const all = fs.existsSync(inboxDir) ? expandPath(inboxDir, false).filter((file) => !/\.md$/i.test(file)) : [];
  removeStalePointFiles(storeLayout(store.dataDir).tmpDir);
  const seen = await seenHashes(store);
  const pending: { file: string; sha256: string; kind: FileKind }[] = [];
  for (const file of all) {
    // Only the fingerprint is needed to skip a file already handled: hash the bytes, do not decode them.
    const sha256 = sha256File(file);
    if (seen.has(sha256)) continue;
    seen.add(sha256);
    pending.push({ file, sha256, kind: await sniffFile(file) });
  }
  pending.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const sessions = { received: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const add = (report: FileReport) => {
    sessions.received += report.received;
    sessions.accepted += report.accepted;
    sessions.duplicates += report.duplicates;
    sessions.rejected += report.rejected;
  };
  const validation = { nowS: options.nowS ?? Math.floor(Date.now() / 1000), programmeStartS: options.programmeStartS ?? DEFAULT_PROGRAMME_START_S };
  let newFiles = 0;
  for (const { file, sha256, kind } of pending) {
    const name = path.relative(inboxDir, file);
    options.output.progress(`inbox: ${name} (${kind})`);
    let outcome = 'loaded';
    if (kind === 'registry-advenir' || kind === 'registry-irve' || kind === 'carbon') {
      try {
        await (kind === 'carbon' ? importCarbonInboxFile(store, file) : importRegistryInboxFile(store, file));
      } catch (error) {
        // Not recorded as imported: the next run tries again (the importer rolled its own transaction back).
        options.output.warn(`inbox: ${name}: ${kind} import failed: ${(error as Error).message}`);
        continue;
      }
    } else if (SESSION_FORMAT[kind]) {
      const report = await ingestSessionFile(store, file, { ...validation, format: SESSION_FORMAT[kind]! });
      add(report);
      if (report.fileError) {
        outcome = 'file-error';
        options.output.warn(`inbox: ${name}: file error ${report.fileError.code}: ${report.fileError.message}`);
      }
    } else {
      outcome = 'unknown-format';
      options.output.warn(`inbox: ${name}: format not recognised; file left aside`);
    }
    await recordInboxFile(store, sha256, file, kind, outcome);
    newFiles += 1;
  }
  for (const file of await pendingLandingFiles(store)) {
    add(await ingestSessionFile(store, file, { ...validation, format: 'advenir-landing' }));
    newFiles += 1;
  }
  // Held sessions are not new receptions: only how many of them the registry now lets in is reported.
  const retry = await retryHeldSessions(store);
  options.output.endProgress();
  return { files: all.length, newFiles, sessions, heldAccepted: retry.accepted };
}

async function seenHashes(store: Store): Promise<Set<string>> {
  const reader = await store.connection.runAndReadAll(
    `select sha256 from inbox_files union select source_sha256 from ingest_batches where file_error_code is null`,
  );
  return new Set(reader.getRowObjectsJS().map((row) => String(row.sha256)));
}

async function recordInboxFile(store: Store, sha256: string, file: string, kind: string, outcome: string): Promise<void> {
  await store.connection.run(
    `insert or replace into inbox_files values ($sha256, $file, $kind, $outcome, now())`,
    { sha256, file, kind, outcome },
  );
}
