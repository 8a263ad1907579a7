import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/serve/service.js';
import { hasRealClients, landingFiles, realClientsDir, send, startTestService, tempDataDir, withOperators } from './helpers.js';

/**
 * Issue 7, point 1: replay every captured body of the two public clients with the method and path each used
 * (fixtures/real-clients/README.md) and check the answers against an oracle written here from protocol.md,
 * independently of the validation core.
 */

const MAX_SPAN_S = 12 * 3600;

interface Expected {
  accepted: number;
  byCode: Map<number, number[]>;
}

/** Flattens the object form and the array form at station level (protocol.md, "What real clients send"). */
function sessionsOf(body: Record<string, Record<string, unknown>>): { station: string; tx: string; value: unknown }[] {
  const out: { station: string; tx: string; value: unknown }[] = [];
  for (const stations of Object.values(body)) {
    for (const [station, value] of Object.entries(stations)) {
      for (const group of Array.isArray(value) ? value : [value]) {
        for (const [tx, session] of Object.entries(group as object)) out.push({ station, tx, value: session });
      }
    }
  }
  return out;
}

/** The oracle: the rules of protocol.md that these real bodies exercise (204, 201, 203, 205, 202 in-request). */
function expectedAnswer(body: Record<string, Record<string, unknown>>): Expected {
  const byCode = new Map<number, number[]>();
  const seenKeys = new Set<string>();
  let accepted = 0;
  const refuse = (code: number, start: number, stop: number) => byCode.set(code, [...(byCode.get(code) ?? []), start, stop]);
  for (const { station, tx, value } of sessionsOf(body)) {
    let start: number;
    let stop: number;
    let code: number | undefined;
    if (Array.isArray(value)) {
      const points = [...(value as { timestamp: number; value: number }[])].sort((a, b) => a.timestamp - b.timestamp || a.value - b.value);
      start = points[0].timestamp;
      stop = points[points.length - 1].timestamp;
      const distinct = new Set(points.map((p) => p.timestamp));
      for (let i = 1; i < points.length && code === undefined; i++) {
        if (points[i].timestamp > points[i - 1].timestamp && points[i].value < points[i - 1].value) code = 201;
        // Same timestamp, different value: the larger is kept only if the series stays monotonic.
        else if (points[i].timestamp === points[i - 1].timestamp && i + 1 < points.length && points[i + 1].value < points[i].value) code = 201;
      }
      if (code === undefined && points.some((p, i) => i > 0 && p.timestamp - points[i - 1].timestamp > MAX_SPAN_S)) code = 203;
      if (code === undefined && distinct.size < 3) code = 205;
    } else {
      const op = value as { StartTransaction: number; StopTransaction: number; StartValue: number; StopValue: number };
      start = op.StartTransaction;
      stop = op.StopTransaction;
      if (stop - start > MAX_SPAN_S) code = 204;
      else if (stop <= start) code = 206;
      else if (op.StopValue < op.StartValue) code = 207;
    }
    if (code === undefined && (seenKeys.has(`k${station}|${tx}`) || seenKeys.has(`s${station}|${start}|${stop}`))) code = 202;
    if (code !== undefined) {
      refuse(code, start, stop);
      continue;
    }
    seenKeys.add(`k${station}|${tx}`).add(`s${station}|${start}|${stop}`);
    accepted += 1;
  }
  return { accepted, byCode };
}

function detailsOf(expected: Expected): Record<string, number[]> {
  return Object.fromEntries([...expected.byCode.entries()].sort((a, b) => a[0] - b[0]).map(([code, list]) => [String(code), list]));
}

const CAPTURES = hasRealClients
  ? fs
      .readdirSync(realClientsDir)
      .filter((name) => name.startsWith('captured_') && name.endsWith('.json'))
      .map((name) => {
        const [, method, ...rest] = name.replace(/\.json$/, '').split('_');
        // captured_<METHOD>_api_<kind>_put__<label>.json
        const pathPart = rest.join('_').split('__')[0];
        return { name, method, path: `/${pathPart.replace(/_/g, '/')}` };
      })
  : [];

describe.skipIf(!hasRealClients)('real clients replayed against the real server (needs ../shared/fixtures/real-clients)', () => {
  let dataDir: string;
  let service: RunningService;
  beforeAll(async () => {
    dataDir = tempDataDir();
    await withOperators(dataDir);
    service = await startTestService(dataDir);
  });
  afterAll(async () => {
    await service?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the three captures with their methods (PUT for the Ruby script, POST for the TypeScript client)', () => {
    expect(CAPTURES.map((c) => `${c.method} ${c.path}`).sort()).toEqual([
      'POST /api/operation/put',
      'PUT /api/operation/put',
      'PUT /api/operation/put',
    ]);
  });

  for (const capture of CAPTURES) {
    it(`${capture.method} ${capture.path} ${capture.name}: the protocol answer, then 202 for everything on a resend`, async () => {
      const text = fs.readFileSync(path.join(realClientsDir, capture.name), 'utf8');
      const expected = expectedAnswer(JSON.parse(text));
      const before = landingFiles(dataDir).length;
      const first = await send(service, capture.path, text, { method: capture.method });
      expect(first.status).toBe(200);
      expect(first.json.statut).toBe('OK');
      // The TypeScript client reads `details` unconditionally and maps details["202"] back to its sessions.
      expect(first.json).toHaveProperty('details');
      expect(first.json.details).toEqual(detailsOf(expected));
      expect(landingFiles(dataDir).length).toBe(before + 1);
      expect(expected.accepted).toBeGreaterThan(0);

      const again = await send(service, capture.path, text, { method: capture.method });
      expect(again.json.statut).toBe('OK');
      const dup202 = again.json.details['202'] as number[];
      const refusedOnce = [...expected.byCode.entries()].filter(([code]) => code !== 202).reduce((n, [, l]) => n + l.length / 2, 0);
      // Every session accepted the first time (and the in-request repeats) is now 202; refusals stay refusals.
      expect(dup202.length / 2).toBe(expected.accepted + (expected.byCode.get(202)?.length ?? 0) / 2);
      expect(Object.keys(again.json.details).filter((c) => c !== '202').reduce((n, c) => n + again.json.details[c].length / 2, 0)).toBe(refusedOnce);
      // Nothing new: a landing file again only when there are refusals for the load to record.
      expect(landingFiles(dataDir).length).toBe(before + (refusedOnce > 0 ? 2 : 1));
    });
  }
});
