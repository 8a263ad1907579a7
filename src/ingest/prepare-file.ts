import { sha256Hex } from '../util/hash.js';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { sniffText } from '../formats/sniff.js';
import type { ValidationOptions } from './advenir/validate.js';
import { CODE } from './codes.js';
import { parseSessionText, ROUTE_OF_FORMAT, type ParsedSessions, type SessionFormat } from './parse-sessions.js';

/**
 * The pure half of ingesting a session file: read, hash, decode, recognise, parse and validate. No store and no
 * DuckDB, so that it also runs in the ingest worker thread (prepare-worker.ts).
 */
export interface IngestFileOptions extends ValidationOptions {
  format: SessionFormat | 'auto';
  /** Overrides the route recorded (e.g. 'webservice' for landing files). */
  route?: string;
  powerTolerance?: number;
}

export interface SourceFile {
  sha256: string;
  text?: string;
  readError?: string;
}

/** Reads a file, hashing its bytes as stored, gunzipping by magic bytes (not by name). */
export function readSourceFile(filePath: string): SourceFile {
  const bytes = fs.readFileSync(filePath);
  const sha256 = sha256Hex(bytes);
  try {
    let content = bytes;
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        content = zlib.gunzipSync(bytes);
      } catch (error) {
        throw new Error(`not a valid gzip file: ${(error as Error).message}`);
      }
    }
    return { sha256, text: decodeUtf8(content) };
  } catch (error) {
    return { sha256, readError: (error as Error).message };
  }
}

/**
 * JSON is UTF-8 (RFC 8259 §8.1). Invalid bytes are a file error (103) rather than U+FFFD replacements: an
 * identifier must be stored exactly as sent or refused with a code (issue 9), never silently altered.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error('the file is not valid UTF-8');
  }
}

export function detectSessionFormat(text: string): SessionFormat {
  const kind = sniffText(text.slice(0, 8192));
  if (kind === 'advenir-landing' || kind === 'ocpi-cdr' || kind === 'irve-sessions') return kind;
  return 'advenir';
}

/** A session file read and validated, not yet loaded (pure JS work, done ahead while DuckDB loads another file). */
export interface PreparedFile {
  filePath: string;
  sha256: string;
  format: SessionFormat;
  route: string;
  parsed: ParsedSessions;
}

export function prepareSessionFile(filePath: string, options: IngestFileOptions): PreparedFile {
  const source = readSourceFile(filePath);
  const format = options.format === 'auto' ? detectSessionFormat(source.text ?? '') : options.format;
  const parsed: ParsedSessions =
    source.text === undefined
      ? { sessions: [], raws: [], rejections: [], received: 0, fileError: { code: CODE.JSON_PARSE, message: source.readError ?? '' } }
      : parseSessionText(source.text, format, options);
  return { filePath, sha256: source.sha256, format, route: options.route ?? ROUTE_OF_FORMAT[format], parsed };
}
