import { isPlainObject, parseAdvenirJson, validateAdvenirPayload, type SessionRejection, type ValidSession } from '../ingest/advenir/validate.js';
import { CODE, sessionCode } from '../ingest/codes.js';
import { buildAnswer, requestErrorAnswer, type AdvenirAnswer, type AnswerError } from './answer.js';
import type { AuthenticatedOperator } from './auth.js';
import { sessionKeys, type KeyIndex } from './key-index.js';
import type { LandingWriter } from './landing.js';

/**
 * One Advenir request, from the body text to the answer (protocol.md), with the same validation core as
 * `pipeline ingest`. Order of effects: landing file durable -> received keys durable -> answer.
 */

export interface ProcessContext {
  keyIndex: KeyIndex;
  landing: LandingWriter;
  programmeStartS: number;
  /** Keys of sessions being written by requests still in flight: a concurrent resend waits for them. */
  inflight: Map<string, Promise<void>>;
}

export interface ProcessInput {
  requestId: string;
  operator: AuthenticatedOperator;
  path: string;
  text: string;
  receivedAt: Date;
}

export interface ProcessResult {
  httpStatus: 200 | 400;
  answer: AdvenirAnswer;
  counts: { received: number; accepted: number; duplicates: number; rejected: number; refused_user_ids: number };
  /** How many refusals per code, for the log line (codes only, no identifier). */
  codes: Record<string, number>;
  landingFile?: string;
}

const zeroCounts = { received: 0, accepted: 0, duplicates: 0, rejected: 0, refused_user_ids: 0 };

export async function processAdvenirRequest(ctx: ProcessContext, input: ProcessInput): Promise<ProcessResult> {
  const parsed = parseAdvenirJson(input.text);
  if (!parsed.ok) return { httpStatus: 400, answer: requestErrorAnswer(CODE.JSON_PARSE, parsed.message), counts: zeroCounts, codes: { 103: 1 } };
  if (!isPlainObject(parsed.value)) {
    return { httpStatus: 200, answer: requestErrorAnswer(CODE.FORMAT, sessionCode(CODE.FORMAT).message), counts: zeroCounts, codes: { 101: 1 } };
  }
  // 104: a UserID the operator does not hold is refused as a whole and nothing of it is stored.
  const body: Record<string, unknown> = {};
  const errors: AnswerError[] = [];
  for (const [userId, stations] of Object.entries(parsed.value)) {
    if (input.operator.userIds.has(userId.toLowerCase())) body[userId] = stations;
    else errors.push({ code: CODE.INVALID_USER_ID, user_id: userId, message: 'this UserID is not operated by the authenticated operator' });
  }
  const refusedUserIds = errors.length;
  const validation = validateAdvenirPayload(body, { nowS: Math.floor(input.receivedAt.getTime() / 1000), programmeStartS: ctx.programmeStartS });
  if (validation.fileError) {
    const code = validation.fileError.code;
    return { httpStatus: code === CODE.JSON_PARSE ? 400 : 200, answer: requestErrorAnswer(code, validation.fileError.message), counts: zeroCounts, codes: { [code]: 1 } };
  }
  const { fresh, duplicates, keys, release } = await classifyAgainstIndex(ctx, validation.sessions);
  errors.push(...validation.rejections.map(toAnswerError), ...duplicates.map((s) => duplicateError(s)));
  const counts = {
    received: validation.received,
    accepted: fresh.length,
    duplicates: duplicates.length + validation.rejections.filter((r) => r.code === CODE.DUPLICATE).length,
    rejected: validation.rejections.filter((r) => r.code !== CODE.DUPLICATE).length,
    refused_user_ids: refusedUserIds,
  };
  const codes: Record<string, number> = {};
  for (const error of errors) codes[error.code] = (codes[error.code] ?? 0) + 1;
  if (fresh.length === 0) {
    release();
    return { httpStatus: 200, answer: buildAnswer({ errors, accepted: 0, duplicates: counts.duplicates, requestFailed: Object.keys(body).length === 0 && refusedUserIds > 0 }), counts, codes };
  }
  try {
    const landingFile = await ctx.landing.write({
      format: 'advenir-landing',
      version: 1,
      request_id: input.requestId,
      received_at: input.receivedAt.toISOString(),
      operator: input.operator.login,
      path: input.path,
      body,
    });
    await ctx.keyIndex.record(input.requestId, keys);
    return { httpStatus: 200, answer: buildAnswer({ errors, accepted: fresh.length, duplicates: counts.duplicates }), counts, codes, landingFile };
  } finally {
    release();
  }
}

/**
 * Splits valid sessions into new ones and 202s (already in the received-key index). A session whose key is
 * being written by a concurrent request waits for that request, then is classified again.
 */
async function classifyAgainstIndex(
  ctx: ProcessContext,
  sessions: ValidSession[],
): Promise<{ fresh: ValidSession[]; duplicates: ValidSession[]; keys: string[]; release: () => void }> {
  for (;;) {
    const fresh: ValidSession[] = [];
    const duplicates: ValidSession[] = [];
    const keys: string[] = [];
    const waits = new Set<Promise<void>>();
    for (const session of sessions) {
      const [transactionKey, spanKey] = sessionKeys(session);
      if (ctx.keyIndex.has(transactionKey) || ctx.keyIndex.has(spanKey)) duplicates.push(session);
      else {
        const pending = ctx.inflight.get(transactionKey) ?? ctx.inflight.get(spanKey);
        if (pending) waits.add(pending);
        else {
          fresh.push(session);
          keys.push(transactionKey, spanKey);
        }
      }
    }
    if (waits.size === 0) {
      // Reserve in the same synchronous step as the check, so no other request can claim the keys in between.
      return { fresh, duplicates, keys, release: reserve(ctx, keys) };
    }
    await Promise.allSettled(waits);
  }
}

/** Marks keys as in flight (synchronously, before any await) and returns the function that releases them. */
function reserve(ctx: ProcessContext, keys: string[]): () => void {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  for (const key of keys) ctx.inflight.set(key, promise);
  return () => {
    for (const key of keys) if (ctx.inflight.get(key) === promise) ctx.inflight.delete(key);
    release();
  };
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

function duplicateError(session: ValidSession): AnswerError {
  return {
    code: CODE.DUPLICATE,
    message: sessionCode(CODE.DUPLICATE).message,
    user_id: session.userId,
    station_id: session.stationId,
    transaction_id: session.transactionId,
    start: session.startS,
    stop: session.stopS,
  };
}
