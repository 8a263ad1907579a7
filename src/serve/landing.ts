import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDir } from '../util/private-dir.js';
import { fsyncDir, isTempName, removeStaleTempFiles, writeFileDurable } from './durable-fs.js';

/**
 * Landing files: one per processed request that carries sessions, written durably BEFORE the answer
 * (issue 7: "an OK means the data are safely stored"). `pipeline ingest` / `pipeline run` load them into the
 * store (route 'webservice'), re-validating `body` with the same core; the service never opens the store.
 */

export interface LandingFile {
  format: 'advenir-landing';
  version: 1;
  request_id: string;
  /** ISO 8601 UTC. */
  received_at: string;
  operator: string;
  path: string;
  /** The programme start the service checked 211 against; the load checks the same (parse-sessions.ts). */
  programme_start_s: number;
  /** The request body restricted to the UserIDs the operator holds (104: nothing stored for the others). */
  body: Record<string, unknown>;
}

export type LandingHeader = Omit<LandingFile, 'body'>;

/** The landing file's text from its header and the body's JSON (serialised once, off the main thread). */
export function landingText(header: LandingHeader, bodyJson: string): string {
  return `${JSON.stringify(header).slice(0, -1)},"body":${bodyJson}}`;
}

/** Time-sortable request ids: `20261127T001512345Z-1a2b3c4d`. The landing file is `<request_id>.json`. */
export function newRequestId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** The receipt time encoded in a request id, or undefined for another shape. */
export function requestTimeMs(requestId: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(requestId);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : undefined;
}

export function landingFileName(requestId: string): string {
  return `${requestId}.json`;
}

export function requestIdOfLandingFile(name: string): string | undefined {
  return !isTempName(name) && name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
}

export class LandingWriter {
  private dirSync: Promise<void> | undefined;
  private dirSyncQueued: Promise<void> | undefined;

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<LandingWriter> {
    await ensurePrivateDir(dir);
    await removeStaleTempFiles(dir);
    return new LandingWriter(dir);
  }

  /** Writes the file (temp name, fsync, rename) and waits for a folder fsync that started after the rename. */
  async write(header: LandingHeader, bodyJson: string): Promise<string> {
    const file = await writeFileDurable(this.dir, landingFileName(header.request_id), landingText(header, bodyJson), { syncDir: false });
    await this.syncDir();
    return file;
  }

  /** Coalesces folder fsyncs: callers arriving during a running fsync share the next one. */
  private syncDir(): Promise<void> {
    if (!this.dirSync) {
      this.dirSync = fsyncDir(this.dir).finally(() => (this.dirSync = undefined));
      return this.dirSync;
    }
    this.dirSyncQueued ??= this.dirSync
      .catch(() => undefined)
      .then(() => {
        this.dirSyncQueued = undefined;
        return this.syncDir();
      });
    return this.dirSyncQueued;
  }

  /** Landing files present in the folder (loaders may move loaded ones away: absence is normal). */
  async list(): Promise<{ requestId: string; file: string }[]> {
    const names = await fs.readdir(this.dir);
    return names
      .map((name) => ({ requestId: requestIdOfLandingFile(name), file: path.join(this.dir, name) }))
      .filter((entry): entry is { requestId: string; file: string } => entry.requestId !== undefined)
      .sort((a, b) => a.requestId.localeCompare(b.requestId));
  }
}
