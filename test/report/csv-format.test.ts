import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/report/csv-format.js';
import { formatNationalRow } from '../../src/report/national-row.js';

describe('CSV formatting', () => {
  it('writes en and fr styles, empty fields for nulls, quotes only when needed', () => {
    const rows = [
      ['Provence-Alpes-Côte d\'Azur', 1.5, 12n, true, null],
      ['a, "quoted"; name', -0, -0.024, false, undefined],
    ];
    expect(formatCsv(['name', 'x', 'n', 'flag', 'empty'], rows, 'en')).toBe(
      'name,x,n,flag,empty\nProvence-Alpes-Côte d\'Azur,1.5,12,true,\n"a, ""quoted""; name",0,-0.024,false,\n',
    );
    expect(formatCsv(['name', 'x', 'n', 'flag', 'empty'], rows, 'fr')).toBe(
      '\uFEFFname;x;n;flag;empty\nProvence-Alpes-Côte d\'Azur;1,5;12;true;\n"a, ""quoted""; name";0;-0,024;false;\n',
    );
  });

  it('prints the national row, or only the reason when it is suppressed', () => {
    expect(formatNationalRow({ month: '2024-05', geo_code: 'FR', energy_kwh: 12.5, coverage_pct: null, suppressed: false, suppression_reason: null })).toEqual([
      `  ${'energy_kwh'.padEnd(34)} 12.5`,
      `  ${'coverage_pct'.padEnd(34)} `,
    ]);
    expect(formatNationalRow({ geo_code: 'FR', energy_kwh: null, suppressed: true, suppression_reason: 'min_stations' })).toEqual([
      '  national cell suppressed (min_stations)',
    ]);
  });
});
