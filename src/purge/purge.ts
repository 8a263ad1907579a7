import fs from 'node:fs';
import path from 'node:path';
import type { Paths } from '../config/paths.js';
import { storeLayout } from '../config/paths.js';
import { AppError } from '../errors.js';
import { openStore } from '../store/database.js';
import { writeMeta } from '../store/meta.js';
import { readPackageVersion } from '../util/version.js';
import { CERTIFICATE_JSON, CERTIFICATE_TXT, entriesKeptDuringPurge, keptDataEntries, LOCK_FILE, PURGED_MARKER, SAMPLE_FILE, STATE_FILE } from './allow-list.js';
import { acquirePurgeLock, assertServiceStopped } from './lock.js';
import { archiveCertificate, buildCertificate, writeCertificate, type PurgeCertificate } from './certificate.js';
import { removeDurably, walkFiles } from './durable-fs.js';
import { failpoint } from './failpoint.js';
import { readSample, writeSample } from './identifiers.js';
import { readPurgedMarker, writePurgedMarker } from './marker.js';
import { assertSeparateFolders, makePlan } from './plan.js';
import { rebuildStore } from './rebuild.js';
import { phaseDone, readState, removeState, writeState, type PurgeState } from './state.js';
import { verifyPurge } from './verify.js';

export interface PurgeResult {
  /** The data folder was already purged and certified: nothing was done. */
  alreadyPurged: boolean;
  /** An interrupted purge was found and completed. */
  resumed: boolean;
  certificateFile: string;
  certificate: PurgeCertificate;
}

/**
 * A purge of a folder without a store (a mistyped --data-dir, the wrong working directory for ./data) would
 * create an empty store and certify it, while the real data stay untouched: refused instead.
 */
function assertStoreExists(paths: Paths): void {
  if (fs.existsSync(storeLayout(paths.dataDir).databaseFile) || readPurgedMarker(paths.dataDir)) return;
  throw new AppError('STORE_NOT_FOUND', `${paths.dataDir} holds no store (${path.basename(storeLayout(paths.dataDir).databaseFile)}): nothing to purge there; check --data-dir`);
}

/**
 * `pipeline purge` (purge issue): plan → mark purged → delete files → rebuild the store → verify → certificate.
 * Each step is idempotent and its completion is recorded in the state file, so a purge killed at any point is
 * completed by running it again; the certificate is written only after a passing verification.
 */
export async function runPurge(paths: Paths, log: (message: string) => void = () => undefined): Promise<PurgeResult> {
  assertSeparateFolders(paths);
  assertStoreExists(paths);
  const release = acquirePurgeLock(paths.dataDir);
  try {
    assertServiceStopped(paths.dataDir);
    return await purgeSteps(paths, log);
  } finally {
    release();
  }
}

async function purgeSteps(paths: Paths, log: (message: string) => void): Promise<PurgeResult> {
  const { dataDir } = paths;
  const databaseName = path.basename(storeLayout(dataDir).databaseFile);
  const sampleFile = path.join(dataDir, SAMPLE_FILE);
  removeStaleTemporaries(paths);
  let state = readState(dataDir);
  const resumed = state !== undefined;
  if (!state) {
    const done = alreadyPurged(paths, databaseName);
    if (done) return { alreadyPurged: true, resumed: false, ...done };
    // Purged and certified before, and files reappeared since: the first certificate is kept (certificate.ts).
    if (readPurgedMarker(dataDir)) {
      const archived = archiveCertificate(paths.reportsDir);
      if (archived) log(`files reappeared since the purge; its certificate is kept as ${path.basename(archived)}`);
    }
    log('measuring what will be deleted and sampling identifiers for the verification');
    state = await startPurge(paths, sampleFile);
  } else if (!phaseDone(state, 'marked')) {
    // Killed before the store was marked: nothing was changed, but `run` was still allowed meanwhile and may have
    // rewritten reports the plan hashed (verification would then fail forever). Measured again from scratch.
    log('an interrupted purge had only measured: measuring again');
    state = await startPurge(paths, sampleFile);
  } else {
    log(`resuming an interrupted purge (last step completed: ${state.phase})`);
  }
  const sample = readSample(sampleFile);
  if (!phaseDone(state, 'marked')) {
    log('marking the store purged: ingest, run and serve refuse from now on');
    await markPurged(dataDir, state);
    state = advance(dataDir, state, 'marked');
  }
  if (!phaseDone(state, 'files-deleted')) {
    log('deleting inbox, landing, service, log and temporary files');
    deleteIndividualFiles(dataDir, databaseName);
    state = advance(dataDir, state, 'files-deleted');
  }
  if (!phaseDone(state, 'rebuilt')) {
    log('rebuilding the store into a fresh file holding only the kept tables');
    await rebuildStore(dataDir);
    state = advance(dataDir, state, 'rebuilt');
  }
  if (!phaseDone(state, 'verified')) {
    log(`verifying: searching every byte of the data folder for ${sample.length} identifier(s)`);
    const verification = await verifyPurge(dataDir, paths.reportsDir, sample, state.plan);
    if (!verification.passed) {
      // Back to 'marked': a rerun deletes and rebuilds again (e.g. a file dropped in the inbox meanwhile).
      writeState(dataDir, { ...state, phase: 'marked' });
      throw verificationFailed(verification);
    }
    state = advance(dataDir, { ...state, verification }, 'verified');
  }
  removeDurably(sampleFile);
  const certificate = buildCertificate(state, state.verification!, paths, keptDataEntries(databaseName));
  const written = writeCertificate(paths.reportsDir, certificate);
  failpoint('certificate-written');
  removeState(dataDir);
  return { alreadyPurged: false, resumed, certificateFile: written.json, certificate };
}

/** Step 1: measures, samples, and records both, before anything is changed. */
async function startPurge(paths: Paths, sampleFile: string): Promise<PurgeState> {
  const { plan, sample } = await makePlan(paths);
  // The sample is on disk before the state file: a state file always comes with its sample.
  writeSample(sampleFile, sample);
  const purgedAt = readPurgedMarker(paths.dataDir)?.purged_at ?? new Date().toISOString();
  const state: PurgeState = { version: 1, phase: 'planned', purgedAt, productVersion: readPackageVersion(), plan };
  writeState(paths.dataDir, state);
  failpoint('planned');
  return state;
}

/** Half-written bookkeeping files of a killed purge (durable-fs writes `<name>.<pid>.tmp` then renames). */
function removeStaleTemporaries(paths: Paths): void {
  const stale = (dir: string, names: string[]) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (names.some((name) => entry.startsWith(`${name}.`) && /\.\d+\.tmp$/.test(entry))) removeDurably(path.join(dir, entry));
    }
  };
  stale(paths.dataDir, [STATE_FILE, SAMPLE_FILE, PURGED_MARKER]);
  stale(paths.reportsDir, [CERTIFICATE_JSON, CERTIFICATE_TXT]);
}

function advance(dataDir: string, state: PurgeState, phase: PurgeState['phase']): PurgeState {
  const next = { ...state, phase };
  writeState(dataDir, next);
  failpoint(phase);
  return next;
}

async function markPurged(dataDir: string, state: PurgeState): Promise<void> {
  writePurgedMarker(dataDir, { purged_at: state.purgedAt, product_version: state.productVersion, certificate: CERTIFICATE_JSON });
  const store = await openStore(dataDir);
  try {
    await writeMeta(store, 'purged_at', state.purgedAt);
  } finally {
    store.close();
  }
}

/** Removes every top-level entry of the data folder that is not the database or the purge's bookkeeping. */
function deleteIndividualFiles(dataDir: string, databaseName: string): void {
  const keep = new Set(entriesKeptDuringPurge(databaseName));
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((name) => !keep.has(name)).sort() : [];
  entries.forEach((name, index) => {
    removeDurably(path.join(dataDir, name));
    if (index === 0) failpoint('deleting');
  });
}

/** A purge already certified, with nothing added to the data folder since: a rerun changes nothing. */
function alreadyPurged(paths: Paths, databaseName: string): Omit<PurgeResult, 'alreadyPurged' | 'resumed'> | undefined {
  const certificateFile = path.join(paths.reportsDir, CERTIFICATE_JSON);
  if (!readPurgedMarker(paths.dataDir) || !fs.existsSync(certificateFile)) return undefined;
  const kept = new Set([...keptDataEntries(databaseName), LOCK_FILE]);
  if (walkFiles(paths.dataDir).some((file) => !kept.has(file.relative))) return undefined;
  return { certificateFile, certificate: JSON.parse(fs.readFileSync(certificateFile, 'utf8')) as PurgeCertificate };
}

function verificationFailed(verification: NonNullable<PurgeState['verification']>): AppError {
  return new AppError(
    'PURGE_VERIFICATION_FAILED',
    `the purge is NOT complete: ${verification.matches.reduce((sum, m) => sum + m.files, 0)} file(s) still hold sampled identifiers, ` +
      `${verification.individualRowsRemaining} individual row(s) remain, ${verification.unexpectedFiles} unexpected file(s), ` +
      `reports ${verification.reportsUnchanged ? 'unchanged' : 'CHANGED'}; no certificate was written; fix and rerun 'pipeline purge'`,
    // Folders and identifier kinds only: never an identifier, nor a file name (which can carry one).
    { details: { matches: verification.matches, individualRowsRemaining: verification.individualRowsRemaining, unexpectedFiles: verification.unexpectedFiles, reportsUnchanged: verification.reportsUnchanged } },
  );
}
