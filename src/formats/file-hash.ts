import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 of a file's bytes (hex), streamed: import logs name a source by content, not by name. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
