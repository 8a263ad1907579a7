import { parseIrveSessions, parseOcpiCdrText, type PlatformParseResult } from '../formats/platform-sessions.js';
import {
  isPlainObject,
  parseAdvenirJson,
  validateAdvenirPayload,
  validateAdvenirSession,
  type SessionRejection,
  type ValidationOptions,
  type ValidSession,
} from './advenir/validate.js';

/**
 * Turns the text of one session file into validated sessions and refusals, whatever its format.
 * Every format goes through the same validation core (issue 3): platform records are Advenir sessions too.
 */
export type SessionFormat = 'advenir' | 'advenir-landing' | 'ocpi-cdr' | 'irve-sessions';

export const ROUTE_OF_FORMAT: Record<SessionFormat, string> = {
  advenir: 'advenir-file',
  'advenir-landing': 'webservice',
  'ocpi-cdr': 'ocpi-cdr',
  'irve-sessions': 'irve-sessions',
};

export interface ParsedSessions {
  sessions: ValidSession[];
  raws: unknown[];
  rejections: SessionRejection[];
  received: number;
  /** 103 cannot be parsed / 101 wrong top-level shape: nothing of the file is loaded. */
  fileError?: { code: 101 | 103; message: string };
  /** Set by prepare-pool's toTransferable: the points as CSV bytes; `sessions[i].points` are then []. */
  pointsCsv?: Uint8Array;
  pointCounts?: number[];
}

export function parseSessionText(text: string, format: SessionFormat, options: ValidationOptions): ParsedSessions {
  switch (format) {
    case 'advenir':
      return parseAdvenirText(text, options);
    case 'advenir-landing':
      return parseLandingText(text, options);
    case 'ocpi-cdr':
      return validatePlatform(parseOcpiCdrText(text), options);
    case 'irve-sessions':
      return validatePlatform(parseIrveSessions(text), options);
  }
}

const empty = (fileError: ParsedSessions['fileError']): ParsedSessions => ({ sessions: [], raws: [], rejections: [], received: 0, fileError });

/** One payload per file, or NDJSON of payloads (issue 3). A line that does not parse makes the whole file 103. */
function parseAdvenirText(text: string, options: ValidationOptions): ParsedSessions {
  const whole = parseAdvenirJson(text);
  let payloads: unknown[];
  if (whole.ok) {
    payloads = [whole.value];
  } else if (whole.code === 101) {
    return empty({ code: 101, message: whole.message });
  } else {
    payloads = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const line = parseAdvenirJson(lines[i]);
      if (!line.ok) return empty({ code: line.code, message: `line ${i + 1}: ${line.message}` });
      payloads.push(line.value);
    }
    if (payloads.length === 0) return empty({ code: 103, message: whole.message });
  }
  return validatePayloads(payloads, options);
}

function validatePayloads(payloads: unknown[], options: ValidationOptions): ParsedSessions {
  const out: ParsedSessions = { sessions: [], raws: [], rejections: [], received: 0 };
  for (const payload of payloads) {
    const result = validateAdvenirPayload(payload, options);
    if (result.fileError) return empty(result.fileError);
    out.received += result.received;
    for (let i = 0; i < result.sessions.length; i++) {
      out.sessions.push(result.sessions[i]);
      out.raws.push(result.sessionRaws?.[i]);
    }
    for (const r of result.rejections) out.rejections.push(r);
  }
  return out;
}

/** A landing file of `pipeline serve` (architecture.md): its `body` is loaded exactly like an Advenir payload. */
function parseLandingText(text: string, options: ValidationOptions): ParsedSessions {
  const parsed = parseAdvenirJson(text);
  if (!parsed.ok) return empty({ code: parsed.code, message: parsed.message });
  const landing = parsed.value;
  if (!isPlainObject(landing) || landing.format !== 'advenir-landing' || !('body' in landing)) {
    return empty({ code: 101, message: 'not an advenir-landing file ({"format": "advenir-landing", "body": ...})' });
  }
  return validatePayloads([landing.body], landingValidation(landing, options));
}

/**
 * The rules a landing file's sessions were answered with: "in the future" (210) against the time the service
 * received them, not the time they are loaded, and the service's programme start (211). The load then keeps
 * exactly the service's decisions: a session answered 210 is not stored later because time has passed.
 * Files without these fields (older services) fall back to `options`.
 */
export function landingValidation(landing: { received_at?: unknown; programme_start_s?: unknown }, options: ValidationOptions): ValidationOptions {
  const receivedMs = typeof landing.received_at === 'string' ? Date.parse(landing.received_at) : Number.NaN;
  const programmeStartS = landing.programme_start_s;
  return {
    ...options,
    nowS: Number.isFinite(receivedMs) ? Math.floor(receivedMs / 1000) : options.nowS,
    programmeStartS: typeof programmeStartS === 'number' && Number.isFinite(programmeStartS) ? programmeStartS : options.programmeStartS,
  };
}

/** Platform records carry no UserID: the beneficiary is resolved from the registry at load time. */
function validatePlatform(parsed: PlatformParseResult, options: ValidationOptions): ParsedSessions {
  if (parsed.fileError) return empty(parsed.fileError);
  const out: ParsedSessions = { sessions: [], raws: [], rejections: [...parsed.rejections], received: parsed.received };
  for (const record of parsed.records) {
    const check = validateAdvenirSession(record.userId, record.stationId, record.transactionId, record.session, options);
    if (check.ok) {
      out.sessions.push(check.session);
      out.raws.push(record.raw);
    } else {
      out.rejections.push({ ...check.rejection, raw: record.raw });
    }
  }
  return out;
}
