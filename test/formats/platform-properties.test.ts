import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIrveSessions, parseOcpiCdrs, parseOcpiCdrText } from '../../src/formats/platform-sessions.js';

/** Any JSON-like value, with the field names of the formats so that mutations hit the mapping's branches. */
const keys = fc.constantFrom('id', 'session_id', 'start_date_time', 'end_date_time', 'total_energy', 'kwh', 'status', 'credit',
  'cdr_location', 'evse_id', 'charging_periods', 'dimensions', 'type', 'volume', 'id_pdc_itinerance', 'start', 'end', 'energy', 'data');
const scalars = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 30 }),
  fc.constantFrom('ENERGY', 'TIME', 'COMPLETED', '2024-01-01T10:00:00Z', '2024-01-01T10:30:00.5+01:00', 'FR*ABC*E1'),
  fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
);
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalars, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(keys, tie('value'), { maxKeys: 6 })),
}));

const validCdr = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  cdr_location: fc.record({ evse_id: fc.constantFrom('FR*ABC*E1', 'FR*ABC*E2') }),
  start_date_time: fc.integer({ min: 1_600_000_000, max: 1_700_000_000 }).map((s) => new Date(s * 1000).toISOString()),
  end_date_time: fc.integer({ min: 1_700_000_001, max: 1_700_100_000 }).map((s) => new Date(s * 1000).toISOString()),
  total_energy: fc.double({ min: -10, max: 200, noNaN: true }),
  charging_periods: fc.array(
    fc.record({
      start_date_time: fc.integer({ min: 1_600_000_000, max: 1_700_100_000 }).map((s) => new Date(s * 1000).toISOString()),
      dimensions: fc.array(fc.record({ type: fc.constantFrom('ENERGY', 'TIME', 'PARKING_TIME'), volume: fc.double({ min: -5, max: 50_000, noNaN: true }) }), { maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
  credit: fc.boolean(),
});

/** Replaces one field of an object by an arbitrary value or deletes it. */
const mutated = <T extends Record<string, unknown>>(base: fc.Arbitrary<T>) =>
  fc.tuple(base, fc.option(fc.tuple(keys, fc.option(jsonValue)))).map(([record, change]) => {
    if (!change) return record;
    const copy: Record<string, unknown> = { ...record };
    if (change[1] === null) delete copy[change[0]];
    else copy[change[0]] = change[1];
    return copy;
  });

function checkResult(result: ReturnType<typeof parseOcpiCdrs>) {
  if (result.fileError) {
    expect([101, 103]).toContain(result.fileError.code);
    expect(result.records.length + result.rejections.length).toBe(0);
    return;
  }
  expect(result.records.length + result.rejections.length).toBe(result.received);
  for (const record of result.records) {
    expect(typeof record.stationId).toBe('string');
    expect(typeof record.transactionId).toBe('string');
    const numbers = Array.isArray(record.session)
      ? record.session.flatMap((p) => [p.timestamp, p.value])
      : Object.values(record.session);
    for (const n of numbers) expect(Number.isSafeInteger(n) || Object.is(n, -0) || Math.abs(n) > Number.MAX_SAFE_INTEGER).toBe(true);
    if (Array.isArray(record.session)) expect(new Set(record.session.map((p) => p.timestamp)).size).toBeGreaterThanOrEqual(3);
  }
  for (const rejection of result.rejections) expect(rejection.code).toBeGreaterThanOrEqual(101);
}

describe('platform parsers never crash and account for every record', () => {
  it('OCPI: arbitrary values, valid and mutated CDRs, arrays and envelopes', () => {
    fc.assert(
      fc.property(fc.oneof(jsonValue, mutated(validCdr), fc.array(mutated(validCdr), { maxLength: 5 }), mutated(validCdr).map((cdr) => ({ data: [cdr] }))), (value) => {
        checkResult(parseOcpiCdrs(value));
        checkResult(parseOcpiCdrText(JSON.stringify(value) ?? ''));
      }),
      { numRuns: 400 },
    );
  });

  it('OCPI text: truncated and corrupted documents', () => {
    fc.assert(
      fc.property(fc.array(mutated(validCdr), { minLength: 1, maxLength: 4 }), fc.nat(), fc.string({ maxLength: 3 }), (cdrs, cut, junk) => {
        const text = cdrs.map((cdr) => JSON.stringify(cdr)).join('\n');
        const at = cut % (text.length + 1);
        checkResult(parseOcpiCdrText(text.slice(0, at) + junk + text.slice(at)));
      }),
      { numRuns: 300 },
    );
  });

  it('IRVE sessions: mutated records and broken lines', () => {
    const record = fc.record({
      id_pdc_itinerance: fc.constantFrom('FRX1', 'FRX2'),
      start: fc.integer({ min: 1_700_000_000_000, max: 1_700_100_000_000 }),
      end: fc.integer({ min: 1_700_000_000_000, max: 1_700_200_000_000 }),
      energy: fc.double({ min: -1, max: 200, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(mutated(record), { maxLength: 6 }), fc.option(fc.string({ maxLength: 10 })), (records, junk) => {
        const lines = records.map((r) => JSON.stringify(r));
        if (junk !== null) lines.push(junk);
        checkResult(parseIrveSessions(lines.join('\n')));
      }),
      { numRuns: 400 },
    );
  });
});
