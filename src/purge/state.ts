import fs from 'node:fs';
import path from 'node:path';
import type { FolderCount, KeptFile, TableCount } from './inventory.js';
import type { SampleSummary } from './identifiers.js';
import { STATE_FILE } from './allow-list.js';
import { removeDurably, writeFileDurably } from './durable-fs.js';

/** The steps of a purge, in order. A rerun redoes every step after the last one recorded (each is idempotent). */
export const PHASES = ['planned', 'marked', 'files-deleted', 'rebuilt', 'verified'] as const;
export type Phase = (typeof PHASES)[number];

/** What is measured before anything is deleted: the certificate reports these numbers. No identifier. */
export interface PurgePlan {
  deletedTables: TableCount[];
  keptTables: TableCount[];
  deletedFiles: { total: FolderCount; byFolder: FolderCount[] };
  keptReports: KeptFile[];
  sample: SampleSummary;
  /** Input files loaded from outside the data folder that still exist: not the purge's to delete (docs/purge.md). */
  externalInputFiles: number;
}

export interface Verification {
  method: string[];
  filesSearched: number;
  bytesSearched: number;
  identifiersSearched: number;
  /** Per top-level folder and identifier kind, how many files still hold a sampled identifier (never file names). */
  matches: { folder: string; kind: string; files: number }[];
  tablesChecked: number;
  individualRowsRemaining: number;
  unexpectedFiles: number;
  reportsUnchanged: boolean;
  passed: boolean;
}

export interface PurgeState {
  version: 1;
  phase: Phase;
  purgedAt: string;
  productVersion: string;
  plan: PurgePlan;
  verification?: Verification;
}

export function stateFile(dataDir: string): string {
  return path.join(dataDir, STATE_FILE);
}

export function readState(dataDir: string): PurgeState | undefined {
  const file = stateFile(dataDir);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PurgeState;
}

export function writeState(dataDir: string, state: PurgeState): void {
  writeFileDurably(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function removeState(dataDir: string): void {
  removeDurably(stateFile(dataDir));
}

export function phaseDone(state: PurgeState, phase: Phase): boolean {
  return PHASES.indexOf(state.phase) >= PHASES.indexOf(phase);
}
