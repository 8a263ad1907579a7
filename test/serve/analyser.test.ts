import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseRequest, type AnalyseInput } from '../../src/serve/analyse.js';
import type { Analyser } from '../../src/serve/analyser-pool.js';
import { USER_A, USER_B, ensureBuilt, hasRealClients, operationsBody, realClientsDir, repoRoot } from './helpers.js';

/**
 * The worker threads (compiled dist/serve/analyse-worker.js) must give exactly the inline analysis: same 104s,
 * same refusals, same keys, same landing body. Checked on synthetic bodies and on the real clients' bodies.
 */
describe('analysis on worker threads equals inline analysis', () => {
  let createAnalyser: (workers: number) => Analyser;
  beforeAll(async () => {
    ensureBuilt();
    ({ createAnalyser } = await import(pathToFileURL(path.join(repoRoot, 'dist', 'serve', 'analyser-pool.js')).href));
  }, 180_000);

  it('gives identical results for valid, refused, foreign, unparsable and real-client bodies', async () => {
    const pool = createAnalyser(2);
    try {
      expect(pool.workers).toBe(2);
      const texts = [
        JSON.stringify({ ...operationsBody(USER_A, 'R320', 0, 50), ...operationsBody(USER_B, 'B750', 0, 2) }),
        JSON.stringify({ [USER_A]: { R330: { long: { StartTransaction: 1_717_300_000, StopTransaction: 1_717_400_000, StartValue: 0, StopValue: 1 } } } }),
        '{"broken": ',
        '[1]',
        ...(hasRealClients ? fs.readdirSync(realClientsDir).filter((n) => n.endsWith('.json')).map((n) => fs.readFileSync(path.join(realClientsDir, n), 'utf8')) : []),
      ];
      const inputs: AnalyseInput[] = texts.map((text) => ({ text, userIds: [USER_A], nowS: 1_800_000_000, programmeStartS: 1_451_606_400 }));
      const results = await Promise.all(inputs.map((input) => pool.analyse(input)));
      results.forEach((result, i) => expect(result).toEqual(analyseRequest(inputs[i])));
      expect(results[0]).toMatchObject({ refusedUserIds: 1, heldUserIds: 1, received: 50 });
      expect(results[2].requestError?.code).toBe(103);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
