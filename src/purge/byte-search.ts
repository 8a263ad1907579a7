import fs from 'node:fs';
import { walkFiles } from './durable-fs.js';
import type { Identifier } from './identifiers.js';

export interface ByteSearchResult {
  filesSearched: number;
  bytesSearched: number;
  /** Per (file, identifier kind): how many distinct identifiers were found. Never holds the identifier itself. */
  matches: { file: string; kind: string; identifiers: number }[];
}

const CHUNK_BYTES = 8 << 20;

/**
 * Reads every byte of every file under `root` and looks for each identifier's UTF-8 bytes: what anyone can
 * check afterwards with `grep -r -F`. Files are read in chunks that overlap by (longest identifier - 1) bytes,
 * so that a match across a chunk boundary is found too. Symbolic links are searched as links (not followed):
 * a purged data dir holds none.
 */
export function searchBytes(root: string, identifiers: Identifier[], options: { exclude?: string[]; chunkBytes?: number } = {}): ByteSearchResult {
  const patterns = identifiers.map((id) => ({ kind: id.kind, bytes: Buffer.from(id.value, 'utf8') })).filter((p) => p.bytes.length > 0);
  const overlap = Math.max(0, ...patterns.map((p) => p.bytes.length - 1));
  const exclude = new Set(options.exclude ?? []);
  const result: ByteSearchResult = { filesSearched: 0, bytesSearched: 0, matches: [] };
  for (const file of walkFiles(root)) {
    if (exclude.has(file.relative)) continue;
    result.filesSearched += 1;
    const found = new Set<number>();
    const isLink = fs.lstatSync(file.absolute).isSymbolicLink();
    const chunks = isLink ? [{ chunk: Buffer.from(fs.readlinkSync(file.absolute)), fresh: 0 }] : readChunks(file.absolute, overlap, options.chunkBytes ?? CHUNK_BYTES);
    for (const { chunk, fresh } of chunks) {
      result.bytesSearched += fresh;
      patterns.forEach((pattern, index) => {
        if (!found.has(index) && chunk.indexOf(pattern.bytes) >= 0) found.add(index);
      });
    }
    const perKind = new Map<string, number>();
    for (const index of found) perKind.set(patterns[index].kind, (perKind.get(patterns[index].kind) ?? 0) + 1);
    for (const [kind, identifiers] of [...perKind].sort()) result.matches.push({ file: file.relative, kind, identifiers });
  }
  return result;
}

/** Yields the file's bytes as chunks; consecutive chunks share `overlap` bytes, `fresh` counts the new ones. */
function* readChunks(file: string, overlap: number, chunkBytes: number): Generator<{ chunk: Buffer; fresh: number }> {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(chunkBytes + overlap);
  try {
    let carried = 0;
    let first = true;
    for (;;) {
      const read = fs.readSync(fd, buffer, carried, chunkBytes, null);
      if (read === 0 && !first) return;
      first = false;
      const filled = carried + read;
      yield { chunk: buffer.subarray(0, filled), fresh: read };
      if (read === 0) return;
      carried = Math.min(overlap, filled);
      buffer.copy(buffer, 0, filled - carried, filled);
    }
  } finally {
    fs.closeSync(fd);
  }
}
