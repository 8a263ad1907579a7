import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { PURGED_MARKER } from './allow-list.js';
import { writeFileDurably } from './durable-fs.js';

/** `PURGED.json` in the data dir: the web service cannot open the store, so it reads this file instead. */
export interface PurgedMarker {
  purged_at: string;
  product_version: string;
  /** Where the certificate is written once the purge is verified (relative to the reports folder). */
  certificate: string;
}

export function writePurgedMarker(dataDir: string, marker: PurgedMarker): void {
  writeFileDurably(path.join(dataDir, PURGED_MARKER), `${JSON.stringify(marker, null, 2)}\n`, 0o644);
}

export function readPurgedMarker(dataDir: string): PurgedMarker | undefined {
  const file = path.join(dataDir, PURGED_MARKER);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PurgedMarker;
  } catch {
    // A marker that cannot be read still means a purge started: refuse rather than accept data.
    return { purged_at: 'unknown', product_version: 'unknown', certificate: 'unknown' };
  }
}

/**
 * For commands that cannot open the store (`pipeline serve`): refuses with STORE_PURGED when the data dir
 * carries the marker. The store-side check is assertNotPurged (store/meta.ts).
 */
export function assertDataDirNotPurged(dataDir: string, action: string): void {
  const marker = readPurgedMarker(dataDir);
  if (marker) {
    throw new AppError(
      'STORE_PURGED',
      `the data folder was purged on ${marker.purged_at}; '${action}' would bring individual data back and is refused`,
      { details: { purgedAt: marker.purged_at } },
    );
  }
}
