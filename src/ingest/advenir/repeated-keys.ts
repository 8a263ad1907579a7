/**
 * JSON.parse keeps the last of two equal keys in one object, so `{"U": {"S": {...}, "S": {...}}}` would lose
 * the first station's sessions without a code (protocol.md: never silently dropped). This scan finds a key
 * repeated within one object of the identifier levels of an Advenir payload: UserIDs (bracket depth 1),
 * StationIDs (2), TransactionIDs (3, or 4 in the array form) and an operation's fields (4). Deeper objects
 * (curve points) are walked over, not tracked. The text must already be valid JSON (JSON.parse succeeded).
 */
const TRACKED_DEPTH = 4;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The bracket depth of the first object that repeats a key, or 0 when no tracked object does. */
export function repeatedKeyDepth(text: string): number {
  // Per open bracket: the keys seen so far for a tracked object, null for an array or a deeper object.
  const keys: Array<Set<string> | null> = [];
  const isObject: boolean[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      const seen = keys[keys.length - 1];
      if (expectKey && seen) {
        const raw = text.slice(start, i + 1);
        // Escapes are decoded, so "\u0053" and "S" are the same key, as JSON.parse sees them.
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (seen.has(key)) return keys.length;
        seen.add(key);
      }
      expectKey = false;
    } else if (c === 0x7b) {
      keys.push(keys.length < TRACKED_DEPTH ? new Set() : null);
      isObject.push(true);
      expectKey = true;
    } else if (c === 0x5b) {
      keys.push(null);
      isObject.push(false);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      keys.pop();
      isObject.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = isObject[isObject.length - 1] === true;
    }
  }
  return 0;
}

const LEVELS = ['', 'UserID', 'StationID', 'TransactionID', 'TransactionID (array form) or operation field'];

/** The 101 message for a repeated key: the level only, never the key (it may be an identifier). */
export function repeatedKeyMessage(depth: number): string {
  return `a JSON object repeats a key (a ${LEVELS[depth] ?? 'field'} given twice at level ${depth}): the payload is ambiguous, nothing of it is loaded`;
}
