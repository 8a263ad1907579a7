import { isPlainObject, parseAdvenirJson, validateAdvenirPayload, type SessionRejection } from '../ingest/advenir/validate.js';
import { CODE, sessionCode } from '../ingest/codes.js';
import type { AnswerError } from './answer.js';
import { sessionKeys } from './key-index.js';
import { registryPointKeys } from './registry-powers.js';

/**
 * The CPU-heavy, stateless part of a request: parse, keep the UserIDs the operator holds (104 for the others),
 * validate with the shared core, hash the session keys, serialise the restricted body for the landing file.
 * Pure, so it runs inline or in a worker thread (analyser-pool.ts) with the same result.
 */

export interface AnalysedSession {
  userId: string;
  stationId: string;
  transactionId: string;
  startS: number;
  stopS: number;
  /** sessionKeys(): (UserID, StationID, TransactionID) and (UserID, StationID, start, stop) digests. */
  keys: [string, string];
  /** registryPointKeys(): the digests its charge point may have in the registry snapshot (registry-powers.ts). */
  pointKeys: [string, string];
  /** Energy over duration, in kW (the load's 208 rule compares it with the nominal power). */
  meanPowerKw: number;
}

export interface AnalyseInput {
  text: string;
  /** Lower-case UserIDs the authenticated operator holds. */
  userIds: string[];
  nowS: number;
  programmeStartS: number;
}

export interface Analysis {
  /** 103 (unparsable) or 101 (not an object): nothing else applies. */
  requestError?: { code: 101 | 103; message: string };
  /** 104 entries, one per UserID the operator does not hold, and the core's refusals (202 in-request included). */
  errors: AnswerError[];
  refusedUserIds: number;
  heldUserIds: number;
  received: number;
  inRequestDuplicates: number;
  sessions: AnalysedSession[];
  /** JSON of the body restricted to the held UserIDs: the landing file's `body` ('{}' when nothing lands). */
  bodyJson: string;
  /** Refusals other than 202 that the landing file carries to the load, which records them in `rejections`. */
  landsRefusals: boolean;
}

/**
 * A real body nests 6 levels (UserID, StationID, array form, TransactionID, points, point). A far deeper body
 * that carries valid sessions is refused as unparsable (103): its landing copy could not be serialised again
 * (JSON.stringify overflows the stack near 10,000 levels). Without valid sessions such a body is not landed (its
 * refusals are answered but not recorded), and each session gets its own code, as `pipeline ingest` gives.
 */
export const MAX_JSON_DEPTH = 64;

export function analyseRequest(input: AnalyseInput): Analysis {
  const empty = { errors: [], refusedUserIds: 0, heldUserIds: 0, received: 0, inRequestDuplicates: 0, sessions: [], bodyJson: '{}', landsRefusals: false };
  const parsed = parseAdvenirJson(input.text);
  if (!parsed.ok) return { ...empty, requestError: { code: parsed.code, message: parsed.message } };
  if (!isPlainObject(parsed.value)) return { ...empty, requestError: { code: CODE.FORMAT, message: sessionCode(CODE.FORMAT).message } };
  const held = new Set(input.userIds);
  const body: Record<string, unknown> = {};
  const errors: AnswerError[] = [];
  for (const [userId, stations] of Object.entries(parsed.value)) {
    if (held.has(userId.toLowerCase())) body[userId] = stations;
    else errors.push({ code: CODE.INVALID_USER_ID, user_id: userId, message: 'this UserID is not operated by the authenticated operator' });
  }
  const validation = validateAdvenirPayload(body, { nowS: input.nowS, programmeStartS: input.programmeStartS });
  if (validation.fileError) return { ...empty, requestError: validation.fileError };
  // The depth matters only for a body that would be landed (written back as JSON): scanned only then.
  const refusalsToRecord = validation.rejections.some((r) => r.code !== CODE.DUPLICATE);
  const tooDeep = (validation.sessions.length > 0 || refusalsToRecord) && jsonDepthExceeds(input.text, MAX_JSON_DEPTH);
  if (validation.sessions.length > 0 && tooDeep) {
    return { ...empty, requestError: { code: CODE.JSON_PARSE, message: `JSON cannot be parsed: nested deeper than ${MAX_JSON_DEPTH} levels` } };
  }
  const landsRefusals = refusalsToRecord && !tooDeep;
  errors.push(...validation.rejections.map(toAnswerError));
  return {
    errors,
    refusedUserIds: Object.keys(parsed.value).length - Object.keys(body).length,
    heldUserIds: Object.keys(body).length,
    received: validation.received,
    inRequestDuplicates: validation.rejections.filter((r) => r.code === CODE.DUPLICATE).length,
    sessions: validation.sessions.map((s) => ({
      userId: s.userId,
      stationId: s.stationId,
      transactionId: s.transactionId,
      startS: s.startS,
      stopS: s.stopS,
      keys: sessionKeys(s),
      pointKeys: registryPointKeys(s.userId, s.stationId),
      // A curve whose points share one instant has no mean power: the load's rule skips it too (division by 0 is null).
      meanPowerKw: s.stopS > s.startS ? ((s.stopValueWh - s.startValueWh) * 3.6) / (s.stopS - s.startS) : 0,
    })),
    // Needed only when a landing file may be written: a session is valid, or a refusal is to be recorded.
    bodyJson: validation.sessions.length > 0 || landsRefusals ? JSON.stringify(body) : '{}',
    landsRefusals,
  };
}

/** Bracket depth of a JSON text, ignoring brackets inside strings; stops as soon as `limit` is passed. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function toAnswerError(rejection: SessionRejection): AnswerError {
  return {
    code: rejection.code,
    message: rejection.message,
    user_id: rejection.userId,
    station_id: rejection.stationId,
    transaction_id: rejection.transactionId,
    start: rejection.startS,
    stop: rejection.stopS,
  };
}
