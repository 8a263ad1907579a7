import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toWindow } from '../../src/cli/commands/run.js';
import { loadRunParams } from '../../src/config/params.js';
import { buildIndicators } from '../../src/indicators/build-indicators.js';
import { monthsBetween } from '../../src/indicators/month-list.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { MARCH, marchFixture } from './golden-march.js';
import { loadMonthFixture, openTempStore } from './month-fixture.js';

describe('run parameters: flags, pipeline.config.json, validation', () => {
  it('parses window flags', () => {
    expect(toWindow('18:00-20:00', [1, 2, 3, 4, 5])).toEqual({ start: '18:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] });
    expect(toWindow('17:30-19:00@6-7', [1])).toEqual({ start: '17:30', end: '19:00', weekdays: [6, 7] });
    expect(toWindow('23:00-07:00@1,3-4', [1])).toEqual({ start: '23:00', end: '07:00', weekdays: [1, 3, 4] });
    expect(() => toWindow('18h-20h', [1])).toThrow();
  });

  it('merges defaults < configuration file < flags, and refuses invalid values', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'pipeline.config.json'), JSON.stringify({ minStations: 20, topN: 5, peakWindow: { start: '17:00', end: '19:00', weekdays: [1, 2, 3, 4, 5] } }));
    const params = loadRunParams({ cwd: dir, overrides: { topN: 7, minBeneficiaries: undefined } });
    expect(params).toMatchObject({ minStations: 20, topN: 7, minBeneficiaries: 3, dominancePct: 85, peakWindow: { start: '17:00' } });
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ dominancePct: 120 }));
    expect(() => loadRunParams({ configFile: path.join(dir, 'bad.json') })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => loadRunParams({ overrides: { peakWindow: { start: '18:15', end: '20:00', weekdays: [1] } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });

  it('lists the months of a range', () => {
    expect(monthsBetween('2024-11', '2025-02').map((m) => m.month)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(() => monthsBetween('2025-01', '2024-12')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('uses the configured peak window in the calendar', async () => {
    const { store, cleanup } = await openTempStore();
    try {
      await loadMonthFixture(store, marchFixture());
      await buildIndicators(store, MARCH, loadRunParams({ cwd: tempDir(), overrides: { peakWindow: toWindow('17:00-19:00@6-7', []) } }));
      const reader = await store.connection.runAndReadAll('select count(*) filter (where is_peak) as n from mart_month_calendar');
      expect(Number(reader.getRowObjectsJS()[0].n)).toBe(10 * 4); // 10 weekend days in March 2024
    } finally {
      cleanup();
    }
  });

  it('exits 2 on a bad month selection or window flag', () => {
    const dataDir = tempDir();
    for (const args of [['--from', '2024-05'], ['--month', '2024-05', '--from', '2024-05', '--to', '2024-06'], ['--month', '2024-05', '--peak-window', '25:00-20:00']]) {
      const result = runCli(['run', ...args, '--data-dir', dataDir]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^error\[(USAGE|INVALID_CONFIG)\]/m);
    }
  });
});
