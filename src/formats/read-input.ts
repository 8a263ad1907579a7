import fs from 'node:fs';
import zlib from 'node:zlib';
import { AppError } from '../errors.js';

/** gzip magic bytes (RFC 1952 §2.3.1): a file is gunzipped when it starts with them, whatever its name. */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Parquet files start (and end) with the 4 bytes 'PAR1'. */
export function isParquet(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1';
}

/** The first bytes of a file as stored (not gunzipped), e.g. to tell gzip or Parquet apart. */
export function readMagic(filePath: string, length = 4): Buffer {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const bytesRead = fs.readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    fs.closeSync(fd);
  }
}

export function assertReadable(filePath: string): void {
  if (!fs.existsSync(filePath)) throw new AppError('FILE_NOT_FOUND', `${filePath} does not exist`);
  if (!fs.statSync(filePath).isFile()) throw new AppError('FILE_UNREADABLE', `${filePath} is not a file`);
}

/** Reads a whole text file (UTF-8, optionally gzip), dropping a UTF-8 byte order mark. */
export function readInputText(filePath: string): string {
  assertReadable(filePath);
  let bytes = fs.readFileSync(filePath);
  if (isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (error) {
      throw new AppError('FILE_UNREADABLE', `${filePath} is not a valid gzip file`, { cause: error });
    }
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The first `maxBytes` of a file's content (after gunzip for gzip files), for sniffing. */
export async function readInputHead(filePath: string, maxBytes = 8192): Promise<Buffer> {
  assertReadable(filePath);
  const handle = await fs.promises.open(filePath, 'r');
  let raw: Buffer;
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    raw = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (!isGzip(raw)) return raw;
  return gunzipHead(filePath, maxBytes);
}

/** Streams a gzip file just far enough to get `maxBytes` of content. */
function gunzipHead(filePath: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const input = fs.createReadStream(filePath);
    const gunzip = zlib.createGunzip();
    const finish = () => {
      input.destroy();
      gunzip.destroy();
      resolve(Buffer.concat(chunks).subarray(0, maxBytes));
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) finish();
    });
    gunzip.on('end', finish);
    // A truncated or corrupt gzip still yields what could be inflated.
    gunzip.on('error', finish);
    input.on('error', finish);
    input.pipe(gunzip);
  });
}
