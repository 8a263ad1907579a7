import { CODE, sessionCode } from '../ingest/codes.js';
import type { Analyser } from './analyser-pool.js';
import type { AnalysedSession } from './analyse.js';
import { buildAnswer, requestErrorAnswer, type AdvenirAnswer, type AnswerError } from './answer.js';
import type { AuthenticatedOperator } from './auth.js';
import type { KeyIndex } from './key-index.js';
import type { LandingWriter } from './landing.js';
import type { RegistryPowers } from './registry-powers.js';
import { MAX_PLAUSIBLE_KW } from '../ingest/load/classify.sql.js';

/**
 * One Advenir request, from the body text to the answer (protocol.md), with the same validation core as
 * `pipeline ingest` (run by the analyser, inline or on a worker thread). Order of effects: landing file
 * durable -> received keys durable -> answer.
 */

export interface ProcessContext {
  keyIndex: KeyIndex;
  landing: LandingWriter;
  analyser: Analyser;
  programmeStartS: number;
  /** The registry's nominal powers (a snapshot the store's writer leaves in the service folder): answer-time 208. */
  registryPowers: RegistryPowers;
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
  const analysis = await ctx.analyser.analyse({
    text: input.text,
    userIds: [...input.operator.userIds],
    nowS: Math.floor(input.receivedAt.getTime() / 1000),
    programmeStartS: ctx.programmeStartS,
  });
  if (analysis.requestError) {
    const { code, message } = analysis.requestError;
    return { httpStatus: code === CODE.JSON_PARSE ? 400 : 200, answer: requestErrorAnswer(code, message), counts: zeroCounts, codes: { [code]: 1 } };
  }
  // 104 (UserIDs the operator does not hold) and the core's refusals come from the analysis; 202s from the index;
  // 208s from the registry snapshot, for sessions not already recorded (the load decides 202 before 208 too).
  await ctx.registryPowers.refresh();
  const { fresh: unscreened, duplicates, release } = await classifyAgainstIndex(ctx, analysis.sessions);
  const { plausible: fresh, implausible } = screenPower(ctx.registryPowers, unscreened);
  // Only accepted sessions enter the index: a corrected resend of a refused one is a new session.
  const keys = fresh.flatMap((session) => session.keys);
  const errors: AnswerError[] = [...analysis.errors, ...duplicates.map(duplicateError), ...implausible.map(implausibleError)];
  const counts = {
    received: analysis.received,
    accepted: fresh.length,
    duplicates: duplicates.length + analysis.inRequestDuplicates,
    rejected: analysis.errors.length - analysis.refusedUserIds - analysis.inRequestDuplicates + implausible.length,
    refused_user_ids: analysis.refusedUserIds,
  };
  const codes: Record<string, number> = {};
  for (const error of errors) codes[error.code] = (codes[error.code] ?? 0) + 1;
  // A request with neither a new session nor a refusal to record (only 202s, or only foreign UserIDs) leaves
  // no landing file. Refusals are landed even without a new session, so that the load records them in
  // `rejections` like every other refusal (docs/ingest.md).
  if (fresh.length === 0 && !analysis.landsRefusals && implausible.length === 0) {
    release();
    const requestFailed = analysis.heldUserIds === 0 && analysis.refusedUserIds > 0;
    return { httpStatus: 200, answer: buildAnswer({ errors, accepted: 0, duplicates: counts.duplicates, requestFailed }), counts, codes };
  }
  try {
    const landingFile = await ctx.landing.write(
      {
        format: 'advenir-landing',
        version: 1,
        request_id: input.requestId,
        received_at: input.receivedAt.toISOString(),
        operator: input.operator.login,
        path: input.path,
        programme_start_s: ctx.programmeStartS,
      },
      analysis.bodyJson,
    );
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
  sessions: AnalysedSession[],
): Promise<{ fresh: AnalysedSession[]; duplicates: AnalysedSession[]; release: () => void }> {
  for (;;) {
    const fresh: AnalysedSession[] = [];
    const duplicates: AnalysedSession[] = [];
    const keys: string[] = [];
    const waits = new Set<Promise<void>>();
    for (const session of sessions) {
      const [transactionKey, spanKey] = session.keys;
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
      return { fresh, duplicates, release: reserve(ctx, keys) };
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

/**
 * 208 when the mean power exceeds 1 MW, or the nominal power the snapshot knows times its tolerance: the rule the
 * load applies with the registry (classify.sql.ts), in the same double arithmetic. The session stays in the landing
 * file, so that the load records the refusal (and decides again with the registry of that moment).
 */
function screenPower(powers: RegistryPowers, sessions: AnalysedSession[]): { plausible: AnalysedSession[]; implausible: AnalysedSession[] } {
  const plausible: AnalysedSession[] = [];
  const implausible: AnalysedSession[] = [];
  for (const session of sessions) {
    const limitKw = powers.limitKw(session.pointKeys);
    const over = session.meanPowerKw > MAX_PLAUSIBLE_KW || (limitKw !== undefined && session.meanPowerKw > limitKw);
    (over ? implausible : plausible).push(session);
  }
  return { plausible, implausible };
}

function implausibleError(session: AnalysedSession): AnswerError {
  return sessionError(CODE.POWER_ABOVE_CAPACITY, session);
}

function duplicateError(session: AnalysedSession): AnswerError {
  return sessionError(CODE.DUPLICATE, session);
}

function sessionError(code: number, session: AnalysedSession): AnswerError {
  return {
    code,
    message: sessionCode(code).message,
    user_id: session.userId,
    station_id: session.stationId,
    transaction_id: session.transactionId,
    start: session.startS,
    stop: session.stopS,
  };
}
