import { repeatedKeyDepth, repeatedKeyMessage } from './repeated-keys.js';
import { CODE, MAX_GAP_S, sessionCode } from '../codes.js';
import { validateCurve, validateOperation, type RuleFailure, type RuleSuccess } from './session-rules.js';
import { jsonErrorMessage } from '../../util/safe-messages.js';

/**
 * The one validation core of Advenir payloads (protocol.md), shared by `pipeline ingest` and `pipeline serve`.
 * Pure: no database and no registry. Charge point existence and power are decided at load time (src/ingest/load).
 * Every session found in a payload gets exactly one outcome: a ValidSession or a SessionRejection.
 */
export interface CurvePoint {
  tsS: number;
  valueWh: number;
}

export interface ValidSession {
  userId: string;
  stationId: string;
  transactionId: string;
  kind: 'curve' | 'operation';
  startS: number;
  stopS: number;
  startValueWh: number;
  stopValueWh: number;
  /** [] for operations. Sorted by tsS, repeated identical points dropped. */
  points: CurvePoint[];
  /** Only with ValidationOptions.packPoints (the ingest worker): the points as typed arrays, `points` then []. */
  packedPoints?: PackedPoints;
}

export interface PackedPoints {
  tsS: Float64Array;
  valueWh: Float64Array;
}

export interface SessionRejection {
  code: number;
  message: string;
  userId?: string;
  stationId?: string;
  transactionId?: string;
  startS?: number;
  stopS?: number;
  raw: unknown;
}

export interface AdvenirValidation {
  fileError?: { code: 101 | 103; message: string };
  sessions: ValidSession[];
  rejections: SessionRejection[];
  received: number;
  /** The raw JSON of each accepted session, parallel to `sessions` (kept if the store later holds it, code 209). */
  sessionRaws?: unknown[];
}

export interface ValidationOptions {
  /** Timestamps after this are refused (210). */
  nowS: number;
  /** Timestamps before this are refused (211); default 2016-01-01 (DEFAULT_PROGRAMME_START_S). */
  programmeStartS: number;
  /** Internal to the loader: return curve points as typed arrays (ValidSession.packedPoints). */
  packPoints?: boolean;
}

export type SessionCheck = { ok: true; session: ValidSession } | { ok: false; rejection: SessionRejection };

export { MAX_GAP_S };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ID_LENGTH = 255;

/** 103 when the text is not JSON; 101 when an object of the identifier levels repeats a key (repeated-keys.ts). */
export function parseAdvenirJson(text: string): { ok: true; value: unknown } | { ok: false; code: 101 | 103; message: string } {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, code: 103, message: jsonErrorMessage(error) };
  }
  const depth = typeof value === 'object' && value !== null ? repeatedKeyDepth(json) : 0;
  if (depth > 0) return { ok: false, code: 101, message: repeatedKeyMessage(depth) };
  return { ok: true, value };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates one session whatever its route. `userId` is undefined for platform records (OCPI, IRVE): their
 * beneficiary comes from the registry at load time, and ValidSession.userId is then ''.
 * The shape decides the kind (protocol.md decision): an array is a curve, an object with StartTransaction an operation.
 */
export function validateAdvenirSession(
  userId: string | undefined,
  stationId: string,
  transactionId: string,
  session: unknown,
  options: ValidationOptions,
): SessionCheck {
  const ids = { userId, stationId, transactionId };
  if (userId !== undefined && !UUID.test(userId)) return reject(CODE.INVALID_USER_ID, ids, session);
  const result: RuleSuccess | RuleFailure = Array.isArray(session)
    ? validateCurve(session, options)
    : isPlainObject(session) && 'StartTransaction' in session
      ? validateOperation(session, options)
      : { code: CODE.MALFORMED_SESSION, detail: 'expected an array of points or an object with StartTransaction' };
  if (!validId(stationId) || !validId(transactionId)) {
    // Identifiers come first, but the session's start and stop, when it has them, name it in `details` (the
    // published client reads start/stop pairs): the rules ran only for that.
    return { ok: false, rejection: { ...rejection(CODE.INVALID_IDENTIFIER, ids, session), startS: result.startS, stopS: result.stopS } };
  }
  if ('code' in result) {
    return { ok: false, rejection: { ...rejection(result.code, ids, session, result.detail), startS: result.startS, stopS: result.stopS } };
  }
  // A UserID is a UUID, and UUIDs compare without case (RFC 4122): stored and keyed in lower case, so that a
  // client changing case neither creates a second beneficiary nor escapes 202.
  return { ok: true, session: { userId: userId?.toLowerCase() ?? '', stationId, transactionId, ...result } };
}

/**
 * Validates a whole payload (format 1, format 2, or both mixed; object or array form at station level).
 * Within one payload a repeated session key or (UserID, StationID, start, stop) is 202 (protocol.md; StationIDs
 * are chosen per beneficiary, so another UserID's `PDC1` is another charge point).
 */
export function validateAdvenirPayload(body: unknown, options: ValidationOptions): AdvenirValidation {
  const out: AdvenirValidation = { sessions: [], rejections: [], received: 0, sessionRaws: [] };
  if (!isPlainObject(body)) {
    return { sessions: [], rejections: [], received: 0, fileError: { code: 101, message: 'the payload must be an object {UserID: {StationID: {TransactionID: ...}}}' } };
  }
  const keys = new Set<string>();
  const spans = new Set<string>();
  const take = (userId: string, stationId: string, transactionId: string, session: unknown) => {
    out.received += 1;
    const check = validateAdvenirSession(userId, stationId, transactionId, session, options);
    if (!check.ok) {
      out.rejections.push(check.rejection);
      return;
    }
    const s = check.session;
    // Length-prefixed: identifiers may contain NUL, and ('A\0B', 'C') must not collide with ('A', 'B\0C') (issue 9).
    const key = `${s.userId.length}:${stationId.length}:${s.userId}${stationId}${transactionId}`;
    const span = `${s.userId.length}:${stationId.length}:${s.userId}${stationId}${s.startS}\u0000${s.stopS}`;
    if (keys.has(key) || spans.has(span)) {
      out.rejections.push({ ...rejection(CODE.DUPLICATE, { userId, stationId, transactionId }, session), startS: s.startS, stopS: s.stopS });
      return;
    }
    keys.add(key);
    spans.add(span);
    out.sessions.push(s);
    out.sessionRaws?.push(session);
  };
  for (const userId of Object.keys(body)) {
    const stations = body[userId];
    if (!isPlainObject(stations)) {
      out.received += 1;
      out.rejections.push(rejection(CODE.FORMAT, { userId }, stations, 'a UserID must map to an object of StationIDs'));
      continue;
    }
    for (const stationId of Object.keys(stations)) {
      walkStation(userId, stationId, stations[stationId], take, out);
    }
  }
  return out;
}

/** Station level: an object of transactions, or (real client variant) an array of single-key objects. */
function walkStation(
  userId: string,
  stationId: string,
  value: unknown,
  take: (u: string, s: string, t: string, session: unknown) => void,
  out: AdvenirValidation,
): void {
  const groups = Array.isArray(value) ? value : [value];
  for (const group of groups) {
    if (!isPlainObject(group)) {
      out.received += 1;
      out.rejections.push(rejection(CODE.FORMAT, { userId, stationId }, group, 'a StationID must map to an object of TransactionIDs'));
      continue;
    }
    for (const transactionId of Object.keys(group)) take(userId, stationId, transactionId, group[transactionId]);
  }
}

/** A lone UTF-16 surrogate (JSON "\ud800") cannot be stored as UTF-8 unchanged: 213 rather than a silent U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function validId(id: string): boolean {
  return typeof id === 'string' && id.trim().length > 0 && id.length <= MAX_ID_LENGTH && !LONE_SURROGATE.test(id);
}

interface Ids {
  userId?: string;
  stationId?: string;
  transactionId?: string;
}

function rejection(code: number, ids: Ids, raw: unknown, detail?: string): SessionRejection {
  const message = detail ? `${sessionCode(code).message}: ${detail}` : sessionCode(code).message;
  return { code, message, ...definedIds(ids), raw };
}

function reject(code: number, ids: Ids, raw: unknown): SessionCheck {
  return { ok: false, rejection: rejection(code, ids, raw) };
}

function definedIds(ids: Ids): Ids {
  const out: Ids = {};
  if (ids.userId !== undefined) out.userId = ids.userId;
  if (ids.stationId !== undefined) out.stationId = ids.stationId;
  if (ids.transactionId !== undefined) out.transactionId = ids.transactionId;
  return out;
}
