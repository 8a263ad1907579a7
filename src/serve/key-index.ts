import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurable } from './durable-fs.js';
import { GroupCommitLog } from './group-commit.js';
import { requestTimeMs } from './landing.js';
import { keyDigest as digest } from '../util/key-digest.js';

/**
 * The service's own index of received session keys, so that a session sent again gets 202 (seed §4.1) even
 * after a restart, without opening the DuckDB store (one writing process: architecture.md).
 *
 * Two keys per session (protocol.md): (UserID, StationID, TransactionID), and (UserID, StationID, start, stop)
 * for platforms that re-number sessions: StationIDs are chosen per beneficiary, so two beneficiaries' `PDC1`
 * are two charge points (migration 007). The span key's tag changed with it ('s' keys of older lines, without
 * the UserID, match no new key; the load's own (charge point, start, stop) dedupe still catches those resends). Keys are kept as truncated SHA-256 digests: the index then holds no
 * identifier in clear and costs ~20 bytes per key in memory.
 *
 * File: <service>/received-keys.log, one line per landing file: `<request_id>\t<key>\t<key>...\n`. A line is
 * appended (and fsync'd) only after its landing file is durable, so the index never claims a session that is
 * not on disk; landing files not yet covered by a line (crash in between) are re-indexed at start-up.
 */

export const KEY_INDEX_FILE = 'received-keys.log';

export interface SessionKeyFields {
  userId: string;
  stationId: string;
  transactionId: string;
  startS: number;
  stopS: number;
}

export function sessionKeys(session: SessionKeyFields): [transactionKey: string, spanKey: string] {
  return [
    digest(['t', session.userId, session.stationId, session.transactionId]),
    digest(['su', session.userId, session.stationId, String(session.startS), String(session.stopS)]),
  ];
}

export class KeyIndex {
  private readonly keys = new Set<string>();
  private readonly coveredRequests = new Set<string>();

  private constructor(private readonly log: GroupCommitLog) {}

  /**
   * Opens the index file, dropping a torn last line (a crash during an append that was never acknowledged).
   * Lines of requests received before `forgetBeforeMs` are dropped and the file is compacted: the service's 202
   * is a courtesy over a bounded window, the store's own dedupe at load time catches older resends.
   */
  static async open(serviceDir: string, options: { forgetBeforeMs?: number } = {}): Promise<KeyIndex> {
    const file = path.join(serviceDir, KEY_INDEX_FILE);
    const bytes = await fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const complete = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, complete).toString('utf8').split('\n').filter(Boolean);
    const kept = lines.filter((line) => !isBefore(line.slice(0, line.indexOf('\t') >>> 0), options.forgetBeforeMs));
    if (kept.length < lines.length) {
      await writeFileDurable(serviceDir, KEY_INDEX_FILE, kept.map((line) => `${line}\n`).join(''));
    } else if (complete < bytes.length) {
      await fs.truncate(file, complete);
    }
    const index = new KeyIndex(await GroupCommitLog.open(file));
    for (const line of kept) {
      const [requestId, ...keys] = line.split('\t');
      index.coveredRequests.add(requestId);
      for (const key of keys) index.keys.add(key);
    }
    return index;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  covers(requestId: string): boolean {
    return this.coveredRequests.has(requestId);
  }

  get size(): number {
    return this.keys.size;
  }

  get requestCount(): number {
    return this.coveredRequests.size;
  }

  /** Records the keys of one durable landing file; resolves once the line is flushed. */
  async record(requestId: string, keys: string[]): Promise<void> {
    for (const key of keys) this.keys.add(key);
    this.coveredRequests.add(requestId);
    await this.log.append(`${[requestId, ...keys].join('\t')}\n`);
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}

/** True when the request id's time (see newRequestId) is before the cutoff; unknown ids are kept. */
export function isBefore(requestId: string, cutoffMs: number | undefined): boolean {
  if (cutoffMs === undefined) return false;
  const timeMs = requestTimeMs(requestId);
  return timeMs !== undefined && timeMs < cutoffMs;
}
