import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOcpiCdrs, parseOcpiCdrText, FORMAT_CODE } from '../../src/formats/platform-sessions.js';
import { rfc3339ToSeconds } from '../../src/formats/platform-record.js';
import { hasShared, sharedPath } from './shared.js';

const readFixture = (name: string) => JSON.parse(fs.readFileSync(sharedPath('fixtures', 'ocpi', name), 'utf8'));
const ids = { id: 'T1', cdr_location: { evse_id: 'FR*ABC*E1' } };

describe('rfc3339ToSeconds', () => {
  it('reads Z, offsets, fractions and zone-less UTC (never the machine zone)', () => {
    expect(rfc3339ToSeconds('2015-06-29T21:39:09Z')).toBe(1435613949);
    expect(rfc3339ToSeconds('2015-06-29T23:39:09+02:00')).toBe(1435613949);
    expect(rfc3339ToSeconds('2015-06-29T21:39:09')).toBe(1435613949);
    expect(rfc3339ToSeconds('2015-06-29T21:39:09.5Z')).toBe(1435613950);
    expect(rfc3339ToSeconds('2015-06-29T21:39:09.499Z')).toBe(1435613949);
    expect(rfc3339ToSeconds('29/06/2015 21:39')).toBeUndefined();
    expect(rfc3339ToSeconds(1435613949)).toBeUndefined();
  });
});

describe('OCPI CDR mapping (hand-made)', () => {
  const cdr = (extra: object) => ({
    ...ids,
    start_date_time: '2022-01-13T16:55:00Z',
    end_date_time: '2022-01-13T17:07:00Z',
    total_energy: 12,
    charging_periods: [
      { start_date_time: '2022-01-13T16:55:00Z', dimensions: [{ type: 'ENERGY', volume: 5 }] },
      { start_date_time: '2022-01-13T17:00:00Z', dimensions: [{ type: 'ENERGY', volume: 2 }] },
      { start_date_time: '2022-01-13T17:02:00Z', dimensions: [{ type: 'ENERGY', volume: 5 }] },
    ],
    ...extra,
  });
  const curve = [
    { timestamp: 1642092900, value: 0 },
    { timestamp: 1642093200, value: 5000 },
    { timestamp: 1642093320, value: 7000 },
    { timestamp: 1642093620, value: 12000 },
  ];

  it('builds a curve by prefix sums (MAPPING.md table)', () => {
    const result = parseOcpiCdrs(cdr({}));
    expect(result.received).toBe(1);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ stationId: 'FR*ABC*E1', transactionId: 'T1', session: curve });
  });

  it('inserts points at most 12 h apart in a long parking period, on the straight line between its ends', () => {
    // 12 kWh from 10:00 to 11:00, then parked until 08:00 the next day (21 h flat): without the inserted point
    // the 21 h gap would be a 203 and the CDR lost (MAPPING.md: split it or insert an interpolated point).
    const overnight = cdr({
      start_date_time: '2022-01-13T10:00:00Z',
      end_date_time: '2022-01-14T08:00:00Z',
      charging_periods: [
        { start_date_time: '2022-01-13T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 12 }] },
        { start_date_time: '2022-01-13T11:00:00Z', dimensions: [{ type: 'PARKING_TIME', volume: 21 }] },
      ],
    });
    const t10 = Date.UTC(2022, 0, 13, 10) / 1000;
    expect(parseOcpiCdrs(overnight).records[0].session).toEqual([
      { timestamp: t10, value: 0 },
      { timestamp: t10 + 3600, value: 12000 },
      { timestamp: t10 + 3600 + 43200, value: 12000 },
      { timestamp: t10 + 22 * 3600, value: 12000 },
    ]);
    // A sloped period is cut the same way, the inserted index on the line (rounded to whole Wh).
    const slow = cdr({
      start_date_time: '2022-01-13T00:00:00Z',
      end_date_time: '2022-01-14T01:00:00Z',
      charging_periods: [
        { start_date_time: '2022-01-13T00:00:00Z', dimensions: [{ type: 'ENERGY', volume: 2 }] },
        { start_date_time: '2022-01-13T01:00:00Z', dimensions: [{ type: 'ENERGY', volume: 10 }] },
      ],
    });
    const t0 = Date.UTC(2022, 0, 13) / 1000;
    expect(parseOcpiCdrs(slow).records[0].session).toEqual([
      { timestamp: t0, value: 0 },
      { timestamp: t0 + 3600, value: 2000 },
      { timestamp: t0 + 3600 + 43200, value: 7000 },
      { timestamp: t0 + 25 * 3600, value: 12000 },
    ]);
  });

  it('detects Wh in ENERGY volumes by comparing with total_energy', () => {
    const wh = cdr({
      charging_periods: cdr({}).charging_periods.map((p) => ({ ...p, dimensions: [{ type: 'ENERGY', volume: p.dimensions[0].volume * 1000 }] })),
    });
    expect(parseOcpiCdrs(wh).records[0].session).toEqual(curve);
  });

  it('rejects ENERGY that matches total_energy in neither unit (232)', () => {
    expect(parseOcpiCdrs(cdr({ total_energy: 20 })).rejections[0]).toMatchObject({ code: FORMAT_CODE.ENERGY_MISMATCH, stationId: 'FR*ABC*E1' });
  });

  it('falls back to an operation when the periods give fewer than 3 points', () => {
    const result = parseOcpiCdrs(cdr({ charging_periods: [{ start_date_time: '2022-01-13T16:55:00Z', dimensions: [{ type: 'ENERGY', volume: 12 }] }] }));
    expect(result.records[0].session).toEqual({ StartTransaction: 1642092900, StopTransaction: 1642093620, StartValue: 0, StopValue: 12000 });
  });

  it('rejects credit CDRs (230) so that a charge never counts twice', () => {
    expect(parseOcpiCdrs(cdr({ credit: true, credit_reference_id: 'T0' })).rejections[0].code).toBe(FORMAT_CODE.CREDIT_CDR);
  });

  it('accepts an array, the {"data": [...]} envelope and NDJSON; counts every record', () => {
    expect(parseOcpiCdrs([cdr({}), cdr({ id: 'T2' })]).records).toHaveLength(2);
    expect(parseOcpiCdrs({ data: [cdr({}), 3], status_code: 1000 })).toMatchObject({ received: 2 });
    const ndjson = parseOcpiCdrText(`${JSON.stringify(cdr({}))}\n${JSON.stringify(cdr({ id: 'T2' }))}\n{oops\n`);
    expect(ndjson.received).toBe(3);
    expect(ndjson.records).toHaveLength(2);
    expect(ndjson.rejections.map((r) => r.code)).toEqual([103]);
  });

  it('gives file errors 103 (not JSON) and 101 (wrong top-level shape)', () => {
    expect(parseOcpiCdrText('{"id": ').fileError?.code).toBe(103);
    expect(parseOcpiCdrText('').fileError?.code).toBe(103);
    expect(parseOcpiCdrs(42).fileError?.code).toBe(101);
    expect(parseOcpiCdrs({ data: 'x' }).fileError?.code).toBe(101);
  });

  it('codes missing fields (231), bad dates (234) and non-objects (235)', () => {
    expect(parseOcpiCdrs(cdr({ cdr_location: {} })).rejections[0].code).toBe(FORMAT_CODE.MISSING_FIELD);
    expect(parseOcpiCdrs(cdr({ total_energy: '12' })).rejections[0].code).toBe(FORMAT_CODE.MISSING_FIELD);
    expect(parseOcpiCdrs(cdr({ end_date_time: '13/01/2022' })).rejections[0].code).toBe(FORMAT_CODE.INVALID_DATETIME);
    expect(parseOcpiCdrs(['x']).rejections[0].code).toBe(FORMAT_CODE.NOT_AN_OBJECT);
  });
});

describe.skipIf(!hasShared)('OCPI fixtures in ../shared/fixtures/ocpi (needs ../shared)', () => {
  const outcome = (name: string) => {
    const result = parseOcpiCdrText(fs.readFileSync(sharedPath('fixtures', 'ocpi', name), 'utf8'));
    return { received: result.received, records: result.records, codes: result.rejections.map((r) => r.code), fileError: result.fileError };
  };

  it('spec CDR example: TIME-only periods give an operation 0 → 15342 Wh over 7103 s', () => {
    const result = outcome('cdrs/ocpi-spec-2.2.1_cdr_example.json');
    expect(result.records[0]).toMatchObject({
      stationId: 'BE*BEC*E041503003',
      transactionId: '12345',
      session: { StartTransaction: 1435613949, StopTransaction: 1435621052, StartValue: 0, StopValue: 15342 },
    });
  });

  it('tandemdrive partial CDRs have no evse_id: coded 231; with ids added they give the MAPPING.md curves', () => {
    for (const name of ['step_size_energy_cdr1', 'grace_period_parking_time_cdr', 'simple_3hour_5parking_cdr1']) {
      expect(outcome(`cdrs/tandemdrive_${name}.json`).codes).toEqual([FORMAT_CODE.MISSING_FIELD]);
    }
    const step = parseOcpiCdrs({ ...readFixture('cdrs/tandemdrive_step_size_energy_cdr1.json'), ...ids });
    expect((step.records[0].session as unknown[]).length).toBe(4);
    const grace = parseOcpiCdrs({ ...readFixture('cdrs/tandemdrive_grace_period_parking_time_cdr.json'), ...ids });
    expect(grace.records[0].session).toEqual([
      { timestamp: 1435590000, value: 0 },
      { timestamp: 1435591800, value: 0 },
      { timestamp: 1435592700, value: 0 },
      { timestamp: 1435594500, value: 10000 },
    ]);
    const parking = parseOcpiCdrs({ ...readFixture('cdrs/tandemdrive_simple_3hour_5parking_cdr1.json'), ...ids });
    expect(parking.records[0].session).toMatchObject({ StartValue: 0, StopValue: 0 });
  });

  it('izivia all-fields CDR is a credit CDR (230); without credit its energy mismatch is 232', () => {
    expect(outcome('cdrs/izivia_ocpi-toolkit_all-fields_cdr.json').codes).toEqual([FORMAT_CODE.CREDIT_CDR]);
    const fixed = parseOcpiCdrs({ ...readFixture('cdrs/izivia_ocpi-toolkit_all-fields_cdr.json'), credit: false });
    expect(fixed.rejections[0].code).toBe(FORMAT_CODE.ENERGY_MISMATCH);
  });

  it('OCPI Sessions: PENDING is 233, the Wh-in-ENERGY COMPLETED one is a curve, the PATCH fragment (no status) is 233', () => {
    expect(outcome('sessions/ocpi-spec-2.2.1_session_example_1_simple_start.json').codes).toEqual([FORMAT_CODE.SESSION_NOT_COMPLETED]);
    const finished = outcome('sessions/ocpi-spec-2.2.1_session_example_2_short_finished.json');
    expect(finished.records[0]).toMatchObject({
      stationId: '3256',
      transactionId: '101',
      session: [
        { timestamp: 1435617549, value: 0 },
        { timestamp: 1435617654, value: 120 },
        { timestamp: 1435619229, value: 41120 },
        { timestamp: 1435621816, value: 41120 },
      ],
    });
    expect(outcome('sessions/ocpi-spec-2.2.1_session_patch_example_charging_period.json').codes).toEqual([FORMAT_CODE.SESSION_NOT_COMPLETED]);
  });
});
