/**
 * The body of every answer of /api/courbe/put and /api/operation/put (protocol.md, "Answers and error codes"):
 * - `statut`: "OK" or "ECHEC"; OK may come with errors (some sessions refused, the others recorded);
 * - `details`, ALWAYS present (the published TypeScript client crashes without it): each code maps to a flat
 *   `[start, stop, start, stop, ...]` list of the offending sessions, or to null for the request-level codes
 *   101, 103 and 104;
 * - `erreurs`: the richer list, one entry per refused session or refused UserID.
 */

/** Codes that concern the whole request or a whole UserID: `details[code]` is null (protocol.md decision). */
const REQUEST_LEVEL_CODES = new Set([101, 103, 104]);

export interface AnswerError {
  code: number;
  message: string;
  user_id?: string;
  station_id?: string;
  transaction_id?: string;
  start?: number;
  stop?: number;
}

export interface AdvenirAnswer {
  statut: 'OK' | 'ECHEC';
  details: Record<string, number[] | null>;
  erreurs?: AnswerError[];
}

export function buildDetails(errors: readonly AnswerError[]): AdvenirAnswer['details'] {
  const details: AdvenirAnswer['details'] = {};
  for (const error of [...errors].sort((a, b) => a.code - b.code)) {
    const key = String(error.code);
    if (REQUEST_LEVEL_CODES.has(error.code)) {
      details[key] = null;
      continue;
    }
    const list = (details[key] ??= []) as number[];
    // A session refused before its times could be read (e.g. 212 malformed) still names its code.
    if (error.start !== undefined && error.stop !== undefined) list.push(error.start, error.stop);
  }
  return details;
}

/**
 * OK when something was recorded now or before (202), or when there was nothing to refuse;
 * ECHEC for a request-level failure or when every session was refused.
 */
export function buildAnswer(input: { errors: readonly AnswerError[]; accepted: number; duplicates: number; requestFailed?: boolean }): AdvenirAnswer {
  const ok = !input.requestFailed && (input.accepted > 0 || input.duplicates > 0 || input.errors.length === 0);
  const answer: AdvenirAnswer = { statut: ok ? 'OK' : 'ECHEC', details: buildDetails(input.errors) };
  if (input.errors.length) answer.erreurs = input.errors.map(withoutUndefined);
  return answer;
}

export function requestErrorAnswer(code: 101 | 103 | 104, message: string): AdvenirAnswer {
  return buildAnswer({ errors: [{ code, message }], accepted: 0, duplicates: 0, requestFailed: true });
}

function withoutUndefined(error: AnswerError): AnswerError {
  return Object.fromEntries(Object.entries(error).filter(([, value]) => value !== undefined)) as unknown as AnswerError;
}
