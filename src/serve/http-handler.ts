import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBasicAuthorization, type Authenticator } from './auth.js';
import type { Logger } from './logger.js';
import type { RateLimiter } from './rate-limit.js';
import { newRequestId } from './landing.js';
import { processAdvenirRequest, type ProcessContext, type ProcessResult } from './process-request.js';
import { requestErrorAnswer } from './answer.js';
import { CODE } from '../ingest/codes.js';

/**
 * The HTTP layer (issue 7): routes, authentication, rate, body limit, then the Advenir processing.
 * Every JSON answer carries `statut` and `details` — even 401/413/429/500 — because the published TypeScript
 * client reads `details` unconditionally (protocol.md).
 */

/** How long the rest of an oversized body is read and discarded before the connection is closed anyway. */
const LINGER_MS = 5_000;

export const ADVENIR_PATHS = new Set(['/api/courbe/put', '/api/operation/put']);

export interface HandlerDeps {
  auth: Authenticator;
  rate: RateLimiter;
  /** Failed authentications per client address: each costs a scrypt, so guessing is slowed down (429). */
  authFailures: RateLimiter;
  logger: Logger;
  process: ProcessContext;
  maxBodyBytes: number;
  startedAtMs: number;
  /** True once `pipeline purge` marked the data dir: from then on nothing individual is written. */
  isPurged: () => boolean;
}

interface RequestLog {
  request_id: string;
  method: string;
  path: string;
  status?: number;
  operator?: string;
  bytes_in?: number;
  counts?: ProcessResult['counts'];
  codes?: ProcessResult['codes'];
  error?: string;
}

export function createHandler(deps: HandlerDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const startedNs = process.hrtime.bigint();
    const path = (request.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    const log: RequestLog = { request_id: newRequestId(), method: request.method ?? '', path };
    response.setHeader('X-Request-Id', log.request_id);
    handle(deps, request, response, path, log)
      .catch((error: unknown) => {
        log.error = error instanceof Error ? error.message : String(error);
        if (!response.headersSent) sendJson(response, 500, failure('internal error; the request was not acknowledged, send it again'));
        else response.destroy();
      })
      .finally(() => {
        log.status = response.statusCode;
        const latencyMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
        const { counts, ...rest } = log;
        const level = log.status >= 500 ? 'error' : 'info';
        if (path !== '/health') deps.logger.log(level, 'request', { ...rest, ...counts, latency_ms: Math.round(latencyMs * 100) / 100 });
      });
  };
}

async function handle(deps: HandlerDeps, request: IncomingMessage, response: ServerResponse, path: string, log: RequestLog): Promise<void> {
  if (path === '/health') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { status: 'method not allowed' }, { Allow: 'GET, HEAD' });
    const uptimeS = Math.round((Date.now() - deps.startedAtMs) / 1000);
    // Monitoring sees a purged programme as down: the service refuses every request from then on.
    if (deps.isPurged()) return sendJson(response, 503, { status: 'purged', uptime_s: uptimeS });
    return sendJson(response, 200, { status: 'ok', uptime_s: uptimeS, operators: deps.auth.operatorCount, received_keys: deps.process.keyIndex.size });
  }
  if (!ADVENIR_PATHS.has(path)) return sendJson(response, 404, failure('unknown path; use /api/courbe/put or /api/operation/put'));
  // The specification says POST; one real client sends PUT (fixtures/real-clients): both are accepted.
  if (request.method !== 'POST' && request.method !== 'PUT') return sendJson(response, 405, failure('use POST or PUT'), { Allow: 'POST, PUT' });
  // Failed logins are counted per (address, login presented): guessing one account's password is slowed down,
  // while an operator sharing that address (NAT) with the guesser keeps working (issue 9, access).
  const presentedLogin = parseBasicAuthorization(request.headers.authorization)?.login ?? '';
  const failureKey = `${request.socket.remoteAddress ?? 'unknown'}\0${presentedLogin}`;
  const lockedOutS = deps.authFailures.waitS(failureKey);
  if (lockedOutS > 0) return sendJson(response, 429, failure('too many failed authentications'), { 'Retry-After': String(lockedOutS) });
  const auth = await deps.auth.authenticate(request);
  if (!auth.ok) {
    if (auth.reason === 'invalid') deps.authFailures.take(failureKey);
    return sendJson(response, 401, failure(auth.reason === 'missing' ? 'authentication required' : 'invalid credentials'), {
      'WWW-Authenticate': 'Basic realm="advenir", charset="UTF-8"',
    });
  }
  log.operator = auth.operator.login;
  const retryAfterS = deps.rate.take(auth.operator.login);
  if (retryAfterS > 0) return sendJson(response, 429, failure('too many requests for this operator'), { 'Retry-After': String(retryAfterS) });
  if (deps.isPurged()) return sendJson(response, 503, failure('the programme data were purged; collection is closed'));
  const body = await readBody(request, deps.maxBodyBytes);
  log.bytes_in = body.bytes;
  if (body.text === undefined) {
    // The rest of the body is read and discarded for at most LINGER_MS (nginx's "lingering close"), then the
    // connection is cut. Closing at once with unread bytes (or 'Connection: close', which does) makes the kernel
    // reset the connection, and the client loses the 413 (issue 9: a 50 MB body got EPIPE instead of its answer).
    request.resume();
    const linger = setTimeout(() => request.socket.destroy(), LINGER_MS);
    linger.unref();
    request.once('end', () => clearTimeout(linger));
    return sendJson(response, 413, failure(`body over the limit of ${deps.maxBodyBytes} bytes`));
  }
  if (body.text === null) {
    // Not UTF-8 (RFC 8259 §8.1): refused as unparsable (103) rather than stored with U+FFFD in place of the
    // bytes sent, so that identifiers are kept exactly as sent or refused with a code (issue 9).
    log.codes = { 103: 1 };
    return sendJson(response, 400, requestErrorAnswer(CODE.JSON_PARSE, 'JSON cannot be parsed: the body is not valid UTF-8'));
  }
  const result = await processAdvenirRequest(deps.process, {
    requestId: log.request_id,
    operator: auth.operator,
    path,
    text: body.text,
    receivedAt: new Date(),
  });
  log.counts = result.counts;
  if (Object.keys(result.codes).length) log.codes = result.codes;
  sendJson(response, result.httpStatus, result.answer);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads the body up to `limit` bytes; `text` is undefined when the body is larger, null when it is not UTF-8. */
function readBody(request: IncomingMessage, limit: number): Promise<{ text?: string | null; bytes: number }> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ bytes: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        request.off('data', onData);
        request.pause();
        resolve({ bytes });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve({ text: decodeUtf8(Buffer.concat(chunks, bytes)), bytes }));
    request.on('error', reject);
  });
}

function failure(message: string): { statut: 'ECHEC'; details: Record<string, never>; message: string } {
  return { statut: 'ECHEC', details: {}, message };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
