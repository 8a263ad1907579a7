/**
 * JSON.parse keeps the last of two equal keys in one object, so `{"U": {"S": {...}, "S": {...}}}` would lose
 * the first station's sessions without a code (protocol.md: never silently dropped). This scan finds a key
 * repeated within one object of the identifier levels of an Advenir payload: UserIDs (bracket depth 1),
 * StationIDs (2), TransactionIDs (3, or 4 in the array form) and an operation's fields (4, or 5 in the array
 * form). Curve points are walked over, not tracked. The text must already be valid JSON (JSON.parse succeeded).
 */
const TRACKED_DEPTH = 4;
const BACKSLASH = 0x5c;

/** Character classes of the scan (a table lookup per character: most of a payload is digits). */
const OTHER = 0;
const QUOTE = 1;
const OPEN_OBJECT = 2;
const OPEN_ARRAY = 3;
const CLOSE = 4;
const COMMA = 5;
const CLASS = new Uint8Array(128);
CLASS[0x22] = QUOTE;
CLASS[0x7b] = OPEN_OBJECT;
CLASS[0x5b] = OPEN_ARRAY;
CLASS[0x7d] = CLOSE;
CLASS[0x5d] = CLOSE;
CLASS[0x2c] = COMMA;

/**
 * An array without nested arrays nor escapes, matched whole from an opening bracket: a curve's points. Nothing
 * in an array opened at depth TRACKED_DEPTH or deeper is tracked, so such an array is skipped by the regular
 * expression engine, about 4x faster than the character loop (issue 3: ingest keeps >= 1M curve points/s).
 * Written as "plain* (string plain*)*", which matches each character one way only: the obvious
 * "(plain+ | string)*" backtracks exponentially when the match fails late (a nested array after a long run).
 */
const SIMPLE_ARRAY = /\[[^[\]"\\]*(?:"[^"\\]*"[^[\]"\\]*)*\]/y;

/** The bracket depth of the first object that repeats a key, or 0 when no tracked object does. */
export function repeatedKeyDepth(text: string): number {
  // Per open bracket: the keys seen so far for a tracked object, null for an array or a deeper object.
  const keys: Array<Set<string> | null> = [];
  const isObject: boolean[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? CLASS[c] : OTHER;
    if (kind === OTHER) continue;
    if (kind === QUOTE) {
      const end = closingQuote(text, i);
      const seen = keys[keys.length - 1];
      if (expectKey && seen) {
        const raw = text.slice(i, end + 1);
        // Escapes are decoded, so "\u0053" and "S" are the same key, as JSON.parse sees them.
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (seen.has(key)) return keys.length;
        seen.add(key);
      }
      expectKey = false;
      i = end;
    } else if (kind === OPEN_OBJECT) {
      keys.push(keys.length < TRACKED_DEPTH || isOperationInArrayForm(isObject) ? new Set() : null);
      isObject.push(true);
      expectKey = true;
    } else if (kind === OPEN_ARRAY) {
      if (keys.length >= TRACKED_DEPTH - 1) {
        SIMPLE_ARRAY.lastIndex = i;
        if (SIMPLE_ARRAY.test(text)) {
          i = SIMPLE_ARRAY.lastIndex - 1;
          expectKey = false;
          continue;
        }
      }
      keys.push(null);
      isObject.push(false);
      expectKey = false;
    } else if (kind === CLOSE) {
      keys.pop();
      isObject.pop();
      expectKey = false;
    } else {
      expectKey = isObject[isObject.length - 1] === true;
    }
  }
  return 0;
}

/**
 * An object opening at depth 5 under an array at depth 3: `{U: {S: [{T: {operation}}]}}`, the array form a real
 * client sends, whose operation is one level deeper than in the object form (a curve point there is at depth 6).
 */
function isOperationInArrayForm(isObject: boolean[]): boolean {
  return isObject.length === TRACKED_DEPTH && isObject[2] === false;
}

/** The index of the quote closing the string opened at `open` (a quote preceded by an odd run of backslashes is escaped). */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end > 0) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

const LEVELS = ['', 'UserID', 'StationID', 'TransactionID', 'TransactionID (array form) or operation field', 'operation field (array form)'];

/** The 101 message for a repeated key: the level only, never the key (it may be an identifier). */
export function repeatedKeyMessage(depth: number): string {
  return `a JSON object repeats a key (a ${LEVELS[depth] ?? 'field'} given twice at level ${depth}): the payload is ambiguous, nothing of it is loaded`;
}
