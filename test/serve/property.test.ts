import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USER_A, USER_B, landingFiles, operation, send, startTestService, tempDataDir, withOperators } from './helpers.js';

/**
 * Invariant of the service (property test): whatever the mix of new sessions, resends, re-numbered resends
 * (same station, start, stop under another TransactionID), foreign UserIDs and concurrency, every session is
 * acknowledged as new exactly once, only the operator's own UserIDs reach landing files, and every acknowledged
 * session is in a landing file (a resend may ride along in a later file: the store dedupes it at load time).
 */

/** Pool session p: station S(p % 3), fixed times from operation(p); `alias` re-numbers its TransactionID. */
const sendable = fc.record({ p: fc.nat(11), alias: fc.boolean(), foreign: fc.boolean() });
const request = fc.array(sendable, { minLength: 1, maxLength: 6 });

function bodyOf(items: { p: number; alias: boolean; foreign: boolean }[]): Record<string, Record<string, Record<string, unknown>>> {
  const body: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const { p, alias, foreign } of items) {
    const user = foreign ? USER_B : USER_A;
    ((body[user] ??= {})[`S${p % 3}`] ??= {})[alias ? `alias-${p}` : `tx-${p}`] = operation(p);
  }
  return body;
}

describe('service invariant under random traffic (fast-check)', () => {
  it('acknowledges each session as new exactly once and stores it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 5 }), fc.boolean(), async (requests, concurrent) => {
        const dataDir = tempDataDir();
        await withOperators(dataDir);
        const service = await startTestService(dataDir);
        try {
          const bodies = requests.map(bodyOf);
          const run = (body: object) => send(service, '/api/operation/put', body);
          const answers = concurrent ? await Promise.all(bodies.map(run)) : await bodies.reduce(async (acc, body) => [...(await acc), await run(body)], Promise.resolve([] as Awaited<ReturnType<typeof run>>[]));
          const acceptedCount = new Map<number, number>();
          answers.forEach((answer, i) => {
            expect(answer.status).toBe(200);
            const dup = new Map<number, number>();
            const list = (answer.json.details['202'] ?? []) as number[];
            for (let k = 0; k < list.length; k += 2) dup.set(list[k], (dup.get(list[k]) ?? 0) + 1);
            const ownSent = Object.values(bodies[i][USER_A] ?? {}).flatMap((txs) => Object.values(txs)) as ReturnType<typeof operation>[];
            for (const op of ownSent) {
              const p = (op.StartTransaction - operation(0).StartTransaction) / 7200;
              if ((dup.get(op.StartTransaction) ?? 0) > 0) dup.set(op.StartTransaction, dup.get(op.StartTransaction)! - 1);
              else acceptedCount.set(p, (acceptedCount.get(p) ?? 0) + 1);
            }
            if (bodies[i][USER_B]) expect(answer.json.details['104']).toBeNull();
          });
          const sentOwn = new Set(requests.flat().filter((s) => !s.foreign).map((s) => s.p));
          expect(new Set(acceptedCount.keys())).toEqual(sentOwn);
          expect([...acceptedCount.values()].every((n) => n === 1)).toBe(true);
          // Landing files: only USER_A, and every acknowledged pool session in at least one of them.
          const inFiles = new Map<number, Set<number>>();
          landingFiles(dataDir).forEach((file, f) => {
            expect(Object.keys(file.body)).toEqual([USER_A]);
            for (const txs of Object.values(file.body[USER_A]) as Record<string, ReturnType<typeof operation>>[]) {
              for (const op of Object.values(txs)) {
                const p = (op.StartTransaction - operation(0).StartTransaction) / 7200;
                (inFiles.get(p) ?? inFiles.set(p, new Set()).get(p)!).add(f);
              }
            }
          });
          for (const p of sentOwn) expect(inFiles.get(p)?.size ?? 0).toBeGreaterThanOrEqual(1);
        } finally {
          await service.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
