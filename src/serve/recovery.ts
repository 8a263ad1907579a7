import fs from 'node:fs/promises';
import { validateAdvenirPayload } from '../ingest/advenir/validate.js';
import { landingValidation } from '../ingest/parse-sessions.js';
import { isBefore, sessionKeys, type KeyIndex } from './key-index.js';
import type { LandingFile, LandingWriter } from './landing.js';

/**
 * Start-up recovery: a landing file not covered by a line of the received-key index was written by a service
 * that died before appending its keys (or the index file was lost). Its sessions were never acknowledged, but
 * they are on disk and will be loaded, so their keys go back into the index (a resend then gets 202).
 */
export async function reindexLandingFiles(
  keyIndex: KeyIndex,
  landing: LandingWriter,
  programmeStartS: number,
  forgetBeforeMs?: number,
): Promise<{ files: number; keys: number; unreadable: number }> {
  let files = 0;
  let unreadable = 0;
  let keys = 0;
  const nowS = Math.floor(Date.now() / 1000);
  for (const { requestId, file } of await landing.list()) {
    // Files older than the index's retention window stay forgotten (the store dedupes them at load time).
    if (keyIndex.covers(requestId) || isBefore(requestId, forgetBeforeMs)) continue;
    const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      // A loader may move the file away while we scan: then the store has it and dedupes at load time.
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) continue;
    let content: LandingFile;
    try {
      content = JSON.parse(text) as LandingFile;
    } catch {
      // Cannot happen with our atomic writes; keep serving and let the loader report the file.
      unreadable += 1;
      continue;
    }
    const validation = validateAdvenirPayload(content.body, landingValidation(content, { nowS, programmeStartS }));
    const fileKeys = validation.sessions.flatMap((session) => sessionKeys(session));
    await keyIndex.record(requestId, fileKeys);
    files += 1;
    keys += fileKeys.length;
  }
  return { files, keys, unreadable };
}
