import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runParamsSchema } from '../../src/config/params.js';
import { publishMonth } from '../../src/report/publish-month.js';
import type { Store } from '../../src/store/database.js';
import { MARCH, marchFixture } from '../indicators/golden-march.js';
import { loadMonthFixture, openTempStore } from '../indicators/month-fixture.js';
import { quietOutput } from '../helpers/store.js';

/**
 * Golden files (Observable style): the hand-computed March 2024 month (test/indicators/golden-march.ts, values
 * derived in indicators-golden.test.ts) published without suppression, in both CSV locales. A mismatch writes
 * `<name>-changed.csv` beside the golden (ignored by git); goldens are never rewritten by the tests.
 */
const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const quiet = quietOutput();

function expectGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  const expected = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const changed = file.replace(/\.csv$/, '-changed.csv');
  if (actual !== expected) fs.writeFileSync(changed, actual);
  else fs.rmSync(changed, { force: true });
  expect(actual).toBe(expected);
}

describe('indicators.csv of the hand-computed March 2024 month', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await openTempStore());
    await loadMonthFixture(store, marchFixture());
  });
  afterEach(() => cleanup());

  for (const csvLocale of ['en', 'fr'] as const) {
    it(`matches golden/march-2024-indicators-${csvLocale}.csv`, async () => {
      const params = runParamsSchema.parse({ minStations: 1, minBeneficiaries: 1, dominancePct: 100, topN: 2, csvLocale });
      const reportsDir = path.join(dir, 'reports');
      await publishMonth(store, { month: MARCH, params, paths: { dataDir: store.dataDir, reportsDir }, output: quiet, runId: 1 });
      const csv = fs.readFileSync(path.join(reportsDir, '2024-03', 'indicators.csv'), 'utf8');
      // The national row and region 11 carry the data; the 17 other regions, empty, are suppressed (no contributor).
      const lines = csv.split('\n');
      const separator = csvLocale === 'fr' ? ';' : ',';
      const region11 = lines.find((line) => line.split(separator)[2] === '11') ?? '';
      expect(lines.filter((line) => line.split(separator)[1] === 'region')).toHaveLength(18);
      expectGolden(`march-2024-indicators-${csvLocale}.csv`, [lines[0], lines[1], region11, ''].join('\n'));
    });
  }
});
