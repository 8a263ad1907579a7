import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatedKeyDepth } from '../../src/ingest/advenir/repeated-keys.js';
import { parseAdvenirJson } from '../../src/ingest/advenir/validate.js';
import { parseSessionText } from '../../src/ingest/parse-sessions.js';
import { DEFAULT_PROGRAMME_START_S } from '../../src/ingest/codes.js';

const U = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const OP = '{"StartTransaction": 1700000000, "StopTransaction": 1700003600, "StartValue": 0, "StopValue": 7000}';

describe('repeated JSON keys (JSON.parse would keep the last one silently)', () => {
  it('finds a repeated UserID, StationID or TransactionID, escapes decoded, and says at which level', () => {
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": ${OP}}}, "${U}": {}}`)).toBe(1);
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": ${OP}}, "S1": {"T2": ${OP}}}}`)).toBe(2);
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": ${OP}, "T\\u0031": ${OP}}}}`)).toBe(3);
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": {"StartTransaction": 1, "StartTransaction": 2}}}}`)).toBe(4);
    expect(repeatedKeyDepth(`{"${U}": {"S1": [{"T1": ${OP}, "T1": ${OP}}]}}`)).toBe(4);
    // An operation's field in the array form (one level deeper), as the real Ruby client sends operations.
    expect(repeatedKeyDepth(`{"${U}": {"S1": [{"T1": {"StartTransaction": 1, "StopValue": 1000, "StopValue": 9000}}]}}`)).toBe(5);
    expect(repeatedKeyDepth(`{"${U}": {"S1": [{"T1": ${OP}}, {"T2": ${OP}}]}}`)).toBe(0);
    // Curves: their point arrays are skipped whole (regular expression), escaped strings inside or not.
    const points = '[{"timestamp": 1700000000, "value": 0}, {"timestamp": 1700000600, "value": 10}]';
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": ${points}, "T2": [{"note": "a]\\"["}], "T1": ${points}}}}`)).toBe(3);
    expect(repeatedKeyDepth(`{"${U}": {"S1": [{"T1": ${points}}, {"T1": ${points}}]}}`)).toBe(0);
  });

  it('ignores equal keys in different objects, deeper objects and brackets or quotes inside strings', () => {
    // The array form may repeat a TransactionID in two objects: that is the core's 202, not a JSON ambiguity.
    expect(repeatedKeyDepth(`{"${U}": {"S1": [{"T1": ${OP}}, {"T1": ${OP}}], "S2": {"T1": ${OP}}}}`)).toBe(0);
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": [{"timestamp": 1, "timestamp": 2, "value": 3}]}}}`)).toBe(0);
    expect(repeatedKeyDepth(`{"${U}": {"S{\\"}": {"T1": ${OP}}, "S[,\\\\": {"T1": ${OP}}}}`)).toBe(0);
  });

  it('falls back to the character loop on arrays that are not simple, without backtracking blow-up', () => {
    // A regular expression with nested quantifiers took exponential time on these (it hung the test suite):
    // a long run of plain values ended by a nested array, or by an escaped string.
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": [${'1,'.repeat(200_000)}[2]], "T1": []}}}`)).toBe(3);
    expect(repeatedKeyDepth(`{"${U}": {"S1": {"T1": [${'{"a": 1},'.repeat(100_000)}"x\\"y"]}}}`)).toBe(0);
  });

  it('never flags what JSON.stringify writes (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => repeatedKeyDepth(JSON.stringify(value) ?? 'null') === 0), { numRuns: 500, seed: 11 });
  });

  it('flags a key repeated at any tracked level of a generated payload (property)', () => {
    const id = fc.string({ minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(id, id, id, fc.integer({ min: 1, max: 3 }), (user, station, transaction, level) => {
        const inner = `{${JSON.stringify(transaction)}: ${OP}}`;
        const text = level === 1
          ? `{${JSON.stringify(user)}: {}, ${JSON.stringify(user)}: {${JSON.stringify(station)}: ${inner}}}`
          : level === 2
            ? `{${JSON.stringify(user)}: {${JSON.stringify(station)}: ${inner}, ${JSON.stringify(station)}: {}}}`
            : `{${JSON.stringify(user)}: {${JSON.stringify(station)}: {${JSON.stringify(transaction)}: ${OP}, ${JSON.stringify(transaction)}: ${OP}}}}`;
        return repeatedKeyDepth(text) === level;
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('makes the payload a 101 for ingest and for the service, never a silent drop', () => {
    const text = `{"${U}": {"S1": {"T1": ${OP}}, "S1": {"T2": ${OP}}}}`;
    expect(parseAdvenirJson(text)).toMatchObject({ ok: false, code: 101 });
    const parsed = parseSessionText(text, 'advenir', { nowS: 1_800_000_000, programmeStartS: DEFAULT_PROGRAMME_START_S });
    expect(parsed.fileError?.code).toBe(101);
    expect(parsed.fileError?.message).not.toContain('S1');
    expect(parsed.sessions).toEqual([]);
  });
});
