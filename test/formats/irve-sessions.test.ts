import { describe, expect, it } from 'vitest';
import { FORMAT_CODE, parseIrveSessions } from '../../src/formats/platform-sessions.js';
import { irveTransactionId } from '../../src/formats/irve-sessions.js';
import { readInputText } from '../../src/formats/read-input.js';
import { hasShared, sharedPath } from './shared.js';

describe('IRVE dynamic sessions (hand-made)', () => {
  const line = (record: object) => JSON.stringify(record);

  it('maps epoch ms and kWh to an operation, with a stable hashed transaction id', () => {
    const record = { energy: 46.572, start: 1733848096000, end: 1733850582000, id_pdc_itinerance: 'FRX1' };
    const result = parseIrveSessions(`${line(record)}\n`);
    expect(result).toMatchObject({ received: 1, rejections: [] });
    expect(result.records[0]).toMatchObject({
      stationId: 'FRX1',
      session: { StartTransaction: 1733848096, StopTransaction: 1733850582, StartValue: 0, StopValue: 46572 },
    });
    expect(result.records[0].userId).toBeUndefined();
    expect(result.records[0].transactionId).toBe(irveTransactionId('FRX1', 1733848096000, 1733850582000));
    expect(parseIrveSessions(line(record)).records[0].transactionId).toBe(result.records[0].transactionId);
  });

  it('uses the record id when there is one, and accepts ISO strings and a JSON array', () => {
    const result = parseIrveSessions(line([{ id: 'u1', energy: 1, start: '2024-12-01T10:00:00Z', end: '2024-12-01T11:00:00+00:00', id_pdc_itinerance: 'FRX1' }]));
    expect(result.records[0]).toMatchObject({ transactionId: 'u1', session: { StartTransaction: 1733047200, StopTransaction: 1733050800 } });
  });

  it('passes negative energy and end before start to the validation core, as indices it codes 207 and 206', () => {
    // -1 kWh is the indices 1000 -> 0 Wh: a StopValue below the StartValue (207), not a negative index (212).
    const result = parseIrveSessions(line({ energy: -1, start: 2000, end: 1000, id_pdc_itinerance: 'FRX1' }));
    expect(result.records[0].session).toEqual({ StartTransaction: 2, StopTransaction: 1, StartValue: 1000, StopValue: 0 });
  });

  it('codes missing fields (231), bad dates (234), non-objects (235) and bad lines (103)', () => {
    const text = [
      line({ energy: 1, start: 1, end: 2 }),
      line({ energy: 1, start: 'yesterday', end: 2, id_pdc_itinerance: 'A' }),
      line({ energy: null, start: 1, end: 2, id_pdc_itinerance: 'A' }),
      line([1]),
      '{broken',
      line({ energy: 1, start: 1000, end: 2000, id_pdc_itinerance: 'A' }),
      line({ energy: 1, start: 1000, end: 3000, id_pdc_itinerance: 'A' }),
    ].join('\n');
    const result = parseIrveSessions(text);
    expect(result.received).toBe(7);
    expect(result.records).toHaveLength(2);
    expect(result.rejections.map((r) => r.code)).toEqual([
      FORMAT_CODE.MISSING_FIELD, FORMAT_CODE.INVALID_DATETIME, FORMAT_CODE.MISSING_FIELD, FORMAT_CODE.NOT_AN_OBJECT, 103,
    ]);
  });

  it('gives a file error when nothing parses (103) or the shape is wrong (101)', () => {
    expect(parseIrveSessions('not json at all').fileError?.code).toBe(103);
    // The parser's message would quote the text around the error: only the position is kept.
    const broken = parseIrveSessions('[{"id_pdc_itinerance": FRSECE7788991, "start": 1}]').fileError;
    expect(broken?.code).toBe(103);
    expect(broken?.message).not.toContain('FRSECE');
    expect(parseIrveSessions('"a string"').fileError?.code).toBe(101);
  });
});

describe.skipIf(!hasShared)('real IRVE dynamic sessions (needs ../shared)', () => {
  it('parses all 110,366 sessions of irve-dynamique-sessions.json.gz', () => {
    const result = parseIrveSessions(readInputText(sharedPath('data', 'fr-qualicharge-irve', 'irve-dynamique-sessions.json.gz')));
    expect(result.fileError).toBeUndefined();
    expect(result.received).toBe(110_366);
    expect(result.records).toHaveLength(110_366);
    // 7 records repeat a (charge point, start, end) already seen: same key, so the loader answers 202 for them.
    expect(new Set(result.records.map((r) => r.transactionId)).size).toBe(110_359);
  });
});
