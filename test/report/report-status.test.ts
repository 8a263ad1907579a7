import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runParamsSchema } from '../../src/config/params.js';
import { publishMonth } from '../../src/report/publish-month.js';
import { monthStatuses } from '../../src/report/report-status.js';
import type { Store } from '../../src/store/database.js';
import { openTempStore } from '../indicators/month-fixture.js';
import { MAY, loadMayStore } from './report-fixture.js';
import { quietOutput } from '../helpers/store.js';

const quiet = quietOutput();

describe('pipeline status: months with data and reports', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await openTempStore());
    await loadMayStore(store);
  });
  afterEach(() => cleanup());

  it('lists the month, its report, and says when the report is older than the data', async () => {
    const reportsDir = path.join(dir, 'reports');
    expect(await monthStatuses(store, reportsDir)).toEqual([
      { month: '2024-05', sessions: 35, dataUpdatedAt: expect.any(String), reportGeneratedAt: null, reportStale: false },
    ]);
    await publishMonth(store, { month: MAY, params: runParamsSchema.parse({}), paths: { dataDir: store.dataDir, reportsDir }, output: quiet, runId: 1, now: new Date('2099-01-01T00:00:00Z') });
    expect((await monthStatuses(store, reportsDir))[0]).toMatchObject({ reportGeneratedAt: '2099-01-01T00:00:00.000Z', reportStale: false });
    // A file loaded after the report: a June session (new month without report) and a May one (stale report).
    await store.connection.run(`insert into ingest_batches values (2, 'late.json', 'sha2', 'webservice', 'advenir-curve', 2, 2, 0, 0, null, '2099-06-01T00:00:00Z')`);
    await store.connection.run(`insert into sessions select session_id + 1000, user_id, station_id, transaction_id, cp_id, kind,
      start_s + $shift, stop_s + $shift, start_value_wh, stop_value_wh, energy_wh, point_count, 'webservice', 2, max_power_wh_per_s from sessions where session_id in (100, 101)`,
      { shift: 0 });
    await store.connection.run(`update sessions set start_s = start_s + 30 * 86400, stop_s = stop_s + 30 * 86400 where session_id = 1101`);
    const statuses = await monthStatuses(store, reportsDir);
    expect(statuses.map((s) => [s.month, s.sessions, s.reportStale, s.reportGeneratedAt !== null])).toEqual([
      ['2024-05', 36, true, true],
      ['2024-06', 1, false, false],
    ]);
  });
});
