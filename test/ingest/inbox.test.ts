import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLayout } from '../../src/config/paths.js';
import { importInbox } from '../../src/ingest/inbox.js';
import type { Store } from '../../src/store/database.js';
import { count, quietOutput, tempDir, tempStore, USER, writeJson } from './helpers.js';

const T0 = 1700000000;
let store: Store | undefined;
afterEach(() => store?.close());

describe('importInbox', () => {
  it('imports the registry before the sessions that need it, each file once, recognised by content', async () => {
    store = await tempStore('inbox');
    const inbox = storeLayout(store.dataDir).inboxDir;
    fs.mkdirSync(path.join(inbox, 'sub'), { recursive: true });
    // Named so that the sessions file sorts first: the content decides the order, not the name.
    writeJson(inbox, 'a-sessions.txt', {
      [USER]: { S1: { T1: [{ timestamp: T0, value: 0 }, { timestamp: T0 + 600, value: 500 }, { timestamp: T0 + 1200, value: 900 }] } },
    });
    fs.writeFileSync(path.join(inbox, 'sub', 'z-registry.csv'), `user_id,station_id,id_pdc_itinerance,code_insee_commune,puissance_nominale_kw,date_mise_en_service\n${USER},S1,,75056,22,2020-01-01\n`);
    const output = quietOutput();
    const first = await importInbox(store, { output, nowS: 1800000000 });
    expect(first).toMatchObject({ files: 2, newFiles: 2, sessions: { received: 1, accepted: 1, duplicates: 0, rejected: 0 } });
    expect(await count(store, 'select count(*) from sessions')).toBe(1);
    const second = await importInbox(store, { output, nowS: 1800000000 });
    expect(second).toMatchObject({ files: 2, newFiles: 0, sessions: { received: 0, accepted: 0, duplicates: 0, rejected: 0 } });
  });

  it('accepts held sessions once a later inbox file registers their charge point', async () => {
    store = await tempStore('inbox');
    const inbox = storeLayout(store.dataDir).inboxDir;
    fs.mkdirSync(inbox, { recursive: true });
    writeJson(inbox, 'ops.json', { [USER]: { S2: { T1: { StartTransaction: T0, StopTransaction: T0 + 600, StartValue: 0, StopValue: 100 } } } });
    const output = quietOutput();
    const first = await importInbox(store, { output, nowS: 1800000000 });
    expect(first.sessions.rejected).toBe(1);
    fs.writeFileSync(path.join(inbox, 'reg.csv'), `user_id,station_id\n${USER},S2\n`);
    const second = await importInbox(store, { output, nowS: 1800000000 });
    expect(second.heldAccepted).toBe(1);
    expect(await count(store, 'select count(*) from sessions')).toBe(1);
  });
});

describe('pipeline ingest with reference files', () => {
  it('imports a registration CSV and a carbon CSV given with the sessions, before them', async () => {
    const { ingestPaths } = await import('../../src/ingest/ingest-paths.js');
    store = await tempStore('ingest-ref');
    const dir = tempDir('ingest-ref-files');
    writeJson(dir, 'a.json', { [USER]: { R1: { T1: { StartTransaction: T0, StopTransaction: T0 + 600, StartValue: 0, StopValue: 100 } } } });
    fs.writeFileSync(path.join(dir, 'b-registry.csv'), `user_id,station_id\n${USER},R1\n`);
    fs.writeFileSync(path.join(dir, 'c-carbon.csv'), 'datetime_utc,g_per_kwh\n2023-11-14T22:00:00Z,50\n2023-11-14T22:30:00Z,60\n');
    const summary = await ingestPaths(store, [dir], { format: 'auto', retry: false, nowS: 1800000000, errorsLimit: 10, output: quietOutput() });
    expect(summary.reference_files.map((r) => r.kind)).toEqual(['registry-advenir', 'carbon']);
    expect(summary.files).toBe(1);
    expect(summary.sessions).toEqual({ received: 1, accepted: 1, duplicates: 0, rejected: 0 });
    expect(await count(store, 'select count(*) from carbon_slots')).toBeGreaterThan(0);
  });
});
