import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../src/config/paths.js';
import { ingestPaths } from '../../src/ingest/ingest-paths.js';
import { REGISTRY_POWERS_FILE, RegistryPowers, registryPointKeys, writeRegistryPowers } from '../../src/serve/registry-powers.js';
import type { Store } from '../../src/store/database.js';
import { quietOutput, tempDir, tempStore, writeJson } from '../ingest/helpers.js';

const A = 'a6d0e6cf-7cac-477a-ae63-7e753c5bdda1';
const B = 'b6d0e6cf-7cac-477a-ae63-7e753c5bdda2';
const C = 'c6d0e6cf-7cac-477a-ae63-7e753c5bdda3';
const T0 = 1_717_200_000;

let store: Store | undefined;
afterEach(() => store?.close());

async function addPoint(s: Store, cpId: number, stationId: string, userId: string, source: string, powerKw: number | null): Promise<void> {
  await s.connection.run(
    `insert into charge_points (cp_id, station_id, user_id, region_code, nominal_power_kw, source, updated_at)
     values ($cpId, $stationId, $userId, '11', $power, $source, now())`,
    { cpId, stationId, userId, power: powerKw, source },
  );
}

describe('the registry snapshot of the web service (answer-time 208)', () => {
  it('refuses exactly the sessions the load refuses 208 among those it knows, and leaves the others to the load', async () => {
    store = await tempStore('powers');
    await addPoint(store, 1, 'PDC1', A, 'advenir-registration', 7.4);
    await addPoint(store, 2, 'PDC1', B, 'advenir-registration', 22);
    await addPoint(store, 3, 'FRX', '123456789', 'irve-static', 11);
    // A registered FRY without power, below an IRVE point of that id: A's sessions take the registration (lowest
    // cp_id), so no nominal rule applies to them, while a session of C takes the IRVE point's 50 kW.
    await addPoint(store, 4, 'FRY', A, 'advenir-registration', null);
    await addPoint(store, 5, 'FRY', '123456789', 'irve-static', 50);
    expect(await writeRegistryPowers(store)).toBe(5); // (A,PDC1) (B,PDC1) (A,FRY), IRVE FRX and FRY
    const powers = await RegistryPowers.open(storeLayout(store.dataDir).serviceDir);

    const op = (i: number, kw: number) => ({ StartTransaction: T0 + i * 7200, StopTransaction: T0 + i * 7200 + 3600, StartValue: 0, StopValue: kw * 1000 });
    const cases: Array<[user: string, station: string, kw: number, serviceLimitKw: number | undefined]> = [
      [A, 'PDC1', 10, 7.4 * 1.1],
      [B, 'PDC1', 10, 22 * 1.1],
      [C, 'FRX', 15, 11 * 1.1],
      [A, 'FRY', 60, undefined],
      [C, 'FRY', 60, 50 * 1.1],
      [A, 'frx', 15, undefined], // matched by the load without case: left to it
    ];
    const body: Record<string, Record<string, Record<string, unknown>>> = {};
    cases.forEach(([user, station, kw], i) => {
      ((body[user] ??= {})[station] ??= {})[`T${i}`] = op(i, kw);
      expect(powers.limitKw(registryPointKeys(user, station))).toBe(cases[i][3]);
    });
    const file = writeJson(tempDir('powers-files'), 'a.json', body);
    const summary = await ingestPaths(store, [file], { format: 'auto', retry: false, nowS: 1_800_000_000, errorsLimit: 100, output: quietOutput() });
    const refused = await store.connection.runAndReadAll(`select user_id, station_id from rejections where code = 208 order by all`);
    // The load refuses A on PDC1, C on FRX, C on FRY, and A on frx (FRX's 11 kW, found without case).
    expect(refused.getRowsJS()).toEqual([[A, 'PDC1'], [A, 'frx'], [C, 'FRX'], [C, 'FRY']].sort());
    expect(summary.sessions).toMatchObject({ accepted: 2, rejected: 4 });
    // The service agrees on every session whose point it knows: 208 exactly when the mean power is above its limit.
    for (const [user, station, kw, limit] of cases) {
      if (limit === undefined) continue;
      const loadRefused = refused.getRowsJS().some(([u, s]) => u === user && s === station);
      expect(kw > limit).toBe(loadRefused);
    }
  });

  it('is re-read when the file changes, and ignored when it is missing or unreadable', async () => {
    const serviceDir = tempDir('powers-service');
    const powers = await RegistryPowers.open(serviceDir);
    const keys = registryPointKeys(A, 'PDC1');
    expect(powers.limitKw(keys)).toBeUndefined();
    const write = (points: Record<string, number | null>) =>
      fs.writeFileSync(path.join(serviceDir, REGISTRY_POWERS_FILE), JSON.stringify({ format: 'registry-powers', version: 1, tolerance: 1.1, points }));
    write({ [keys[0]]: 10 });
    await powers.refresh(Date.now() + 5000);
    expect(powers.limitKw(keys)).toBeCloseTo(11, 9);
    // An unknown power (null) stops the lookup: the IRVE point of that id does not apply to this beneficiary.
    write({ [keys[0]]: null, [keys[1]]: 3.7, x: 1 });
    await powers.refresh(Date.now() + 10_000);
    expect(powers.limitKw(keys)).toBeUndefined();
    expect(powers.limitKw(registryPointKeys(C, 'PDC1'))).toBeCloseTo(3.7 * 1.1, 9);
    fs.writeFileSync(path.join(serviceDir, REGISTRY_POWERS_FILE), '{"format": "registry-powers", "ver');
    await powers.refresh(Date.now() + 15_000);
    expect(powers.size).toBe(0);
  });
});
