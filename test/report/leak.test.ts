import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutput } from '../../src/cli/output.js';
import { runParamsSchema } from '../../src/config/params.js';
import { publishMonth } from '../../src/report/publish-month.js';
import type { Store } from '../../src/store/database.js';
import { openTempStore } from '../indicators/month-fixture.js';
import { MAY, loadMayStore } from './report-fixture.js';
import { reportTexts, storeIdentifiers } from './leak-helpers.js';

describe('no identifier leaves the store (issue 5, point 4)', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await openTempStore());
    await loadMayStore(store);
  });
  afterEach(() => cleanup());

  for (const thresholds of [{}, { minStations: 1, minBeneficiaries: 1, dominancePct: 100 }]) {
    it(`holds with thresholds ${JSON.stringify(thresholds)}`, async () => {
      const messages: string[] = [];
      const sink = { write: (chunk: string) => messages.push(chunk) > 0, isTTY: false };
      const reportsDir = path.join(dir, 'reports');
      const summary = await publishMonth(store, {
        month: MAY,
        params: runParamsSchema.parse({ ...thresholds, csvLocale: 'fr' }),
        paths: { dataDir: store.dataDir, reportsDir },
        output: createOutput({}, { stdout: sink as never, stderr: sink as never }),
        runId: 1,
      });
      const identifiers = await storeIdentifiers(store);
      expect(identifiers.length).toBeGreaterThan(40);
      const texts = await reportTexts(store, path.join(reportsDir, '2024-05'));
      texts.set('summary', JSON.stringify(summary));
      texts.set('messages', messages.join(''));
      for (const [file, text] of texts) {
        const leaked = identifiers.filter((id) => text.includes(id));
        expect({ file, leaked }).toEqual({ file, leaked: [] });
      }
    });
  }

  it('would find an identifier planted in a compressed Parquet file', async () => {
    const planted = path.join(dir, 'planted');
    fs.mkdirSync(planted);
    await store.connection.run(
      `copy (select 'FRABCU123456789' as id from range(1000)) to '${path.join(planted, 'x.parquet')}' (format parquet, compression zstd)`,
    );
    const texts = await reportTexts(store, planted);
    expect(texts.get('x.parquet')!.includes('FRABCU123456789')).toBe(true);
  });
});
