import { jsonErrorMessage } from '../util/safe-messages.js';

/**
 * A JSON file as operators send it: one document, or NDJSON (one document per line). Used by the
 * platform-session parsers; a line that does not parse is a rejection of that record, and a file of
 * which nothing parses is a file error (103).
 */
export interface JsonTextResult {
  values: unknown[];
  isNdjson: boolean;
  badLines: { line: number; text: string }[];
  fileError?: { code: 103; message: string };
}

export function parseJsonOrNdjson(text: string): JsonTextResult {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { values: [], isNdjson: false, badLines: [], fileError: { code: 103, message: 'the file is empty' } };
  try {
    return { values: [JSON.parse(trimmed)], isNdjson: false, badLines: [] };
  } catch (wholeError) {
    const lines = trimmed.split('\n');
    if (lines.length < 2) return notJson(wholeError);
    const values: unknown[] = [];
    const badLines: { line: number; text: string }[] = [];
    lines.forEach((line, index) => {
      const content = line.trim();
      if (content === '') return;
      try {
        const value: unknown = JSON.parse(content);
        // A line of NDJSON is a record; a bare number or string is a fragment of a broken pretty-printed file.
        if (typeof value !== 'object' || value === null) throw new Error('not a record');
        values.push(value);
      } catch {
        badLines.push({ line: index + 1, text: content });
      }
    });
    // Mostly unparsable lines: a broken single document, not NDJSON with a few bad records.
    if (values.length === 0 || badLines.length > values.length) return notJson(wholeError);
    return { values, isNdjson: true, badLines };
  }
}

function notJson(error: unknown): JsonTextResult {
  // The parser's own message quotes the text around the error, which may be an identifier (safe-messages.ts).
  return { values: [], isNdjson: false, badLines: [], fileError: { code: 103, message: jsonErrorMessage(error) } };
}
