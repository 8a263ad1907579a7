import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flatLoadPeakSharePct } from '../../src/report/html/flat-load.js';
import type { LoadProfileRow } from '../../src/report/html/published-tables.js';
import { peakRects } from '../../src/report/html/charts/load-profile-chart.js';
import { scopeSvgIds } from '../../src/report/html/charts/render-svg.js';
import { formatMonthFr, formatNumber, formatWeekdays, NOT_AVAILABLE_LABEL } from '../../src/report/html/format-fr.js';
import { listReportMonths, writeReportsIndex } from '../../src/report/html/reports-index.js';

describe('fr-FR formatting', () => {
  it('reads back as the value rounded to the requested decimals (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 3 }), (value, decimals) => {
        const text = formatNumber(value, decimals);
        // fr-FR: narrow no-break spaces group thousands, the decimal separator is a comma, never a point.
        expect(text).not.toContain('.');
        const parsed = Number(text.replaceAll('\u202f', '').replace('\u2212', '-').replace(',', '.'));
        expect(parsed).toBeCloseTo(Number(value.toFixed(decimals)), decimals);
        expect(text.split(',')[1]?.length ?? 0).toBe(decimals);
      }),
    );
  });

  it('prints known values and « non disponible » for a missing one', () => {
    expect(formatNumber(1234567.891, 1)).toBe('1\u202f234\u202f567,9');
    expect(formatNumber(-0.04, 1)).toBe('0,0');
    expect(formatNumber(null)).toBe(NOT_AVAILABLE_LABEL);
    expect(formatMonthFr('2024-05')).toBe('mai 2024');
    expect(formatMonthFr('2025-12')).toBe('décembre 2025');
    expect(formatWeekdays([5, 4, 3, 2, 1])).toBe('du lundi au vendredi');
    expect(formatWeekdays([1, 2, 3, 4, 5, 6, 7])).toBe('tous les jours');
    expect(formatWeekdays([6, 7])).toBe('samedi, dimanche');
  });
});

describe('peak window shading', () => {
  const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${m === 0 ? '00' : '30'}`);

  it('covers exactly the window length on the day types it applies to (property)', () => {
    fc.assert(
      fc.property(hhmm, hhmm, fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (start, end, weekdays) => {
        fc.pre(start !== end);
        const [sh, sm] = start.split(':').map(Number);
        const [eh, em] = end.split(':').map(Number);
        const lengthH = ((eh * 60 + em - sh * 60 - sm + 1440) % 1440) / 60;
        for (const dayType of ['weekday', 'weekend'] as const) {
          const rects = peakRects({ start, end, weekdays }, dayType);
          const applies = weekdays.some((day) => (dayType === 'weekday' ? day <= 5 : day >= 6));
          const covered = rects.reduce((sum, rect) => sum + rect.x1 - rect.x0, 0);
          expect(covered).toBeCloseTo(applies ? lengthH : 0, 9);
          for (const rect of rects) expect(rect.x0 >= 0 && rect.x1 <= 24 && rect.x0 < rect.x1).toBe(true);
        }
      }),
    );
  });
});

describe('inline SVG ids', () => {
  it('renames ids per chart and rewrites their references', () => {
    const svg = '<svg width="1"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"></g>' +
      '<use href="#clip1"/><g fill="url(#other)"></g></svg>';
    const scoped = scopeSvgIds('a', svg);
    expect(scoped).toContain('data-chart="a"');
    expect(scoped).toContain('id="a-1"');
    expect(scoped).toContain('url(#a-1)');
    expect(scoped).toContain('href="#a-1"');
    expect(scoped).toContain('url(#other)');
    expect(scoped).not.toContain('clip1');
  });
});

describe('reports/index.html', () => {
  it('lists the months that have a report.html, newest first, and ignores the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-index-'));
    for (const month of ['2024-05', '2025-01', '2024-11']) {
      fs.mkdirSync(path.join(dir, month));
      fs.writeFileSync(path.join(dir, month, 'report.html'), '');
    }
    fs.mkdirSync(path.join(dir, '2024-06')); // no report.html (e.g. a run older than the HTML report)
    fs.mkdirSync(path.join(dir, '.tmp-2024-07-123'));
    fs.writeFileSync(path.join(dir, '.tmp-2024-07-123', 'report.html'), '');
    expect(listReportMonths(dir)).toEqual(['2025-01', '2024-11', '2024-05']);
    const html = fs.readFileSync(writeReportsIndex(dir), 'utf8');
    const links = [...html.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);
    expect(links).toEqual([
      ['2025-01/report.html', 'janvier 2025'],
      ['2024-11/report.html', 'novembre 2024'],
      ['2024-05/report.html', 'mai 2024'],
    ]);
    expect(listReportMonths(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('peak share of a flat load', () => {
  /** May 2024 in Paris: 23 weekdays and 8 weekend days, no DST change; 48 half-hours a day. */
  const may2024: LoadProfileRow[] = (['weekday', 'weekend'] as const).flatMap((day_type) =>
    Array.from({ length: 48 }, (_, i) => ({
      day_type, local_minute: 30 * i, occurrences: day_type === 'weekday' ? 23 : 8,
      mean_load_kw: null, uncontrolled_mean_load_kw: null, grid_carbon_g_per_kwh: null,
    })));

  it('is the peak half-hours over all half-hours of the month', () => {
    // 18:00-20:00 on weekdays: 4 half-hours x 23 days over 48 x 31.
    expect(flatLoadPeakSharePct(may2024, { start: '18:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] })).toBeCloseTo((100 * 4 * 23) / (48 * 31), 12);
    // The off-peak night block, every day, wraps past midnight: 16 half-hours a day.
    expect(flatLoadPeakSharePct(may2024, { start: '23:00', end: '07:00', weekdays: [1, 2, 3, 4, 5, 6, 7] })).toBeCloseTo((100 * 16) / 48, 12);
    expect(flatLoadPeakSharePct(may2024, { start: '18:00', end: '20:00', weekdays: [6, 7] })).toBeCloseTo((100 * 4 * 8) / (48 * 31), 12);
  });

  it('gives null when the window splits a day type, or without occurrences', () => {
    expect(flatLoadPeakSharePct(may2024, { start: '18:00', end: '20:00', weekdays: [1, 2, 3, 4] })).toBeNull();
    expect(flatLoadPeakSharePct([], { start: '18:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] })).toBeNull();
  });
});
