import zlib from 'node:zlib';

/**
 * The hand-written part of the hostile corpus (issue 9, point 1). Each input comes with the outcome it must get,
 * known by construction from the protocol rules (docs/error-codes.md): a file error (101/103, nothing loaded), or
 * per-session outcomes. The same bytes are fed to `pipeline ingest` (as files) and to `pipeline serve` (as bodies).
 * Every input uses its own times, so that no two inputs share a (StationID, start, stop).
 */

export const USER = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const T0_S = 1_704_067_200; // 2024-01-01T00:00Z: after the programme start, before now

export type Expected =
  | { fileError: 101 | 103 }
  | { accepted: number; rejected?: Record<string, number>; duplicates?: number; received?: number };

export interface HostileInput {
  name: string;
  bytes: () => Buffer;
  ingest: Expected;
  /** (StationID, TransactionID) pairs that must be stored exactly as sent (byte for byte). */
  identifiers?: [string, string][];
  /** What the service must answer when it differs from what the ingest outcome implies (e.g. 413 over its body limit). */
  serveStatus?: number;
  /**
   * The service refuses the whole request with this request-level code where `ingest` can decide per session: a
   * landing file must hold the body as JSON, and a value nested 10,000 levels cannot be written back as JSON.
   */
  serveFileError?: 103;
}

/** StationIDs to declare in the registry before ingesting (sessions of unknown charge points are held, 209). */
export function stationsOf(inputs: readonly HostileInput[]): string[] {
  const stations = new Set<string>(['R1']);
  for (const input of inputs) for (const [station] of input.identifiers ?? []) stations.add(station);
  return [...stations];
}

const text = (s: string) => () => Buffer.from(s, 'utf8');
const json = (value: unknown) => () => Buffer.from(JSON.stringify(value), 'utf8');

function operation(startS: number, startWh = 1000, stopWh = 8000): Record<string, unknown> {
  return { StartTransaction: startS, StopTransaction: startS + 3600, StartValue: startWh, StopValue: stopWh };
}

function curve(startS: number, points: number, stepS = 60): { timestamp: number; value: number }[] {
  return Array.from({ length: points }, (_, i) => ({ timestamp: startS + i * stepS, value: i * 10 }));
}

/** One payload whose sessions are given as [StationID, TransactionID, session]. */
function payload(sessions: [string, string, unknown][], userId = USER): Record<string, unknown> {
  const stations: Record<string, Record<string, unknown>> = {};
  for (const [station, transaction, session] of sessions) {
    // defineProperty: a plain assignment of '__proto__' would set the prototype instead of a key.
    const byStation = Object.prototype.hasOwnProperty.call(stations, station) ? stations[station] : {};
    Object.defineProperty(stations, station, { value: byStation, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(byStation, transaction, { value: session, enumerable: true, configurable: true, writable: true });
  }
  return { [userId]: stations };
}

/** An input whose sessions must all be accepted and stored with exactly these identifiers. */
function accepted(name: string, day: number, ids: [string, string][]): HostileInput {
  return {
    name,
    bytes: json(payload(ids.map(([s, t], i) => [s, t, operation(T0_S + day * 86_400 + i * 7200)]))),
    ingest: { accepted: ids.length },
    identifiers: ids,
  };
}

export function hostileCorpus(): HostileInput[] {
  const valid = JSON.stringify(payload([['R1', 'T-valid', operation(T0_S)]]));
  const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
  const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const op = (day: number) => JSON.stringify(operation(T0_S + day * 86_400));
  return [
    { name: 'valid payload (control)', bytes: text(valid), ingest: { accepted: 1 } },
    { name: 'truncated JSON', bytes: text(valid.slice(0, Math.floor(valid.length / 2))), ingest: { fileError: 103 } },
    { name: 'empty body', bytes: text(''), ingest: { fileError: 103 } },
    { name: 'white space only', bytes: text(' \n\t '), ingest: { fileError: 103 } },
    { name: 'null', bytes: text('null'), ingest: { fileError: 101 } },
    { name: 'a number at the top', bytes: text('1e308'), ingest: { fileError: 101 } },
    { name: 'a string at the top', bytes: text('"NaN"'), ingest: { fileError: 101 } },
    { name: 'array at the top', bytes: text(`[${valid}]`), ingest: { fileError: 101 } },
    { name: 'BOM then a valid payload', bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(payload([['R1', 'T-bom', operation(T0_S + 86_400)]])))]), ingest: { accepted: 1 } },
    {
      name: 'invalid UTF-8 inside an identifier',
      bytes: () => Buffer.concat([Buffer.from(`{"${USER}":{"R1":{"T-`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`":${op(2)}}}}`)]),
      ingest: { fileError: 103 },
    },
    { name: 'gzip cut short', bytes: () => zlib.gzipSync(Buffer.from(valid)).subarray(0, 20), ingest: { fileError: 103 } },
    { name: 'empty object', bytes: text('{}'), ingest: { accepted: 0, received: 0 } },
    { name: 'StopValue 1e308', bytes: text(`{"${USER}":{"R1":{"T-1e308":{"StartTransaction":${T0_S + 3 * 86_400},"StopTransaction":${T0_S + 3 * 86_400 + 60},"StartValue":0,"StopValue":1e308}}}}`), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: 'timestamp 1e308', bytes: json(payload([['R1', 'T-ts1e308', [{ timestamp: 1e308, value: 1 }, { timestamp: 1e308, value: 2 }, { timestamp: 1e308, value: 3 }]]])), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: '-0 as StartValue', bytes: text(`{"${USER}":{"R1":{"T-minus0":{"StartTransaction":${T0_S + 4 * 86_400},"StopTransaction":${T0_S + 4 * 86_400 + 600},"StartValue":-0,"StopValue":5}}}}`), ingest: { accepted: 1 } },
    { name: '"NaN" and "Infinity" as strings', bytes: json(payload([['R1', 'T-nan', { StartTransaction: 'NaN', StopTransaction: 'Infinity', StartValue: '-0', StopValue: '1' }]])), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: 'numbers as strings', bytes: json(payload([['R1', 'T-numstr', { StartTransaction: String(T0_S), StopTransaction: String(T0_S + 60), StartValue: '0', StopValue: '5' }]])), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: 'timestamps in milliseconds', bytes: json(payload([['R1', 'T-ms', operation((T0_S + 5 * 86_400) * 1000)]])), ingest: { accepted: 0, rejected: { 210: 1 } } },
    { name: 'timestamps in 2100', bytes: json(payload([['R1', 'T-2100', curve(4_102_444_800, 5)]])), ingest: { accepted: 0, rejected: { 210: 1 } } },
    { name: 'negative Wh', bytes: json(payload([['R1', 'T-neg', operation(T0_S + 6 * 86_400, -5000, 2000)]])), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: 'fractional Wh and seconds', bytes: json(payload([['R1', 'T-frac', operation(T0_S + 7 * 86_400 + 0.5, 10.5, 20.49)]])), ingest: { accepted: 1 } },
    { name: 'curve of 10,000 points', bytes: json(payload([['R1', 'T-10k', curve(T0_S + 8 * 86_400, 10_000)]])), ingest: { accepted: 1 } },
    { name: 'curve with a 10,000-level nested point, beside a valid session', bytes: text(`{"${USER}":{"R1":{"T-deep":${deepArray},"T-beside-deep":${op(16)}}}}`), ingest: { accepted: 1, rejected: { 212: 1 } }, serveFileError: 103 },
    { name: 'operation nested 10,000 levels', bytes: text(`{"${USER}":{"R1":{"T-deepobj":${deepObject}}}}`), ingest: { accepted: 0, rejected: { 212: 1 } } },
    { name: 'array nested 10,000 levels at the top', bytes: text(deepArray), ingest: { fileError: 101 } },
    {
      // JSON.parse would keep the last of each repeated key and drop the others silently: the payload is a 101.
      name: 'duplicate keys',
      bytes: text(`{"${USER}":{"R1":{"T-dupkey":${op(17)},"T-dupkey":${op(18)}}},"${USER}":{"R1":{"T-dupkey2":${op(19)}}}}`),
      ingest: { fileError: 101 },
    },
    { name: '__proto__ and constructor as UserID', bytes: text(`{"__proto__":{"R1":{"T-p":${op(20)}}},"constructor":{"R1":{"T-c":${op(21)}}}}`), ingest: { accepted: 0, rejected: { 104: 2 } } },
    accepted('__proto__, constructor, prototype as identifiers', 22, [['__proto__', 'constructor'], ['constructor', '__proto__'], ['prototype', 'toString']]),
    accepted('quotes in identifiers', 23, [[`R'"\``, `T'"\\`], ['R"', "T'"]]),
    accepted('SQL fragments as identifiers', 24, [["' or 1=1 --", "'); drop table sessions; --"], ['R1', '"; delete from sessions where \'\'=\''], ['$1', '$name']]),
    accepted('control characters in identifiers', 25, [['R\u0001\u0007\u001b[31m', 'T\t\r\n\u0000end'], ['R1', '\u0000'], ['R\u007f', 'T\u0085\u2028']]),
    accepted('identifiers sharing a NUL boundary', 26, [['A\u0000B', 'C'], ['A', 'B\u0000C']]),
    accepted('255-character identifiers (the limit)', 27, [['S'.repeat(255), 'é'.repeat(255)], ['R1', '🔌'.repeat(127)]]),
    accepted('astral, combining and bidi characters', 28, [['R🔌⚡', 'T\u202Eevil'], ['R1', 'e\u0301'], ['R1', 'e\u00e9']]),
    { name: '1 KB identifiers', bytes: json(payload([['R1', 'T'.repeat(1024), operation(T0_S + 29 * 86_400)], ['R'.repeat(1024), 'T-1k', operation(T0_S + 29 * 86_400 + 7200)]])), ingest: { accepted: 0, rejected: { 213: 2 } } },
    { name: 'blank identifiers', bytes: json(payload([['R1', '', operation(T0_S + 30 * 86_400)], ['   ', 'T-blank', operation(T0_S + 30 * 86_400 + 7200)]])), ingest: { accepted: 0, rejected: { 213: 2 } } },
    { name: 'lone surrogate in an identifier', bytes: text(`{"${USER}":{"R1":{"T-\\ud800":${op(31)}}}}`), ingest: { accepted: 0, rejected: { 213: 1 } } },
    { name: 'UserID with quotes and SQL', bytes: json({ [`${USER}'; drop table sessions; --`]: { R1: { 'T-u': operation(T0_S + 32 * 86_400) } } }), ingest: { accepted: 0, rejected: { 104: 1 } } },
    { name: 'StationID mapped to a scalar', bytes: text(`{"${USER}":"R1"}`), ingest: { accepted: 0, rejected: { 101: 1 } } },
    {
      name: '50 MB string as a TransactionID',
      bytes: () => Buffer.from(`{"${USER}":{"R1":{"${'x'.repeat(50 * 1024 * 1024)}":${op(33)}}}}`),
      ingest: { accepted: 0, rejected: { 213: 1 } },
      serveStatus: 413,
    },
  ];
}
