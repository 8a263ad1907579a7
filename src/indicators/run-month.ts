import type { Output } from '../cli/output.js';
import type { Paths } from '../config/paths.js';
import type { RunParams } from '../config/params.js';
import { AppError } from '../errors.js';
import { openStore, type Store } from '../store/database.js';
import { assertNotPurged } from '../store/meta.js';
import { importInbox } from '../ingest/inbox.js';
import { buildMonthModels, runDataTests } from './month-models.js';
import { publishMonth } from '../report/publish-month.js';
import type { MonthRange } from '../util/month.js';

export interface RunMonthResult {
  month: string;
  runId: number;
  imported: Awaited<ReturnType<typeof importInbox>>;
  models: Awaited<ReturnType<typeof buildMonthModels>>;
  published: Awaited<ReturnType<typeof publishMonth>>;
  seconds: number;
}

/**
 * The operator's main job (`pipeline run --month`): import what is new in the inbox and the service's landing
 * files, rebuild the month's slot models, check them with the data tests, and publish the month's reports.
 * The order lives here; the math lives in sql/ and the publishing in report/.
 */
export async function runMonth(paths: Paths, month: MonthRange, params: RunParams, output: Output): Promise<RunMonthResult> {
  const started = performance.now();
  const store = await openStore(paths.dataDir);
  try {
    await assertNotPurged(store, 'run');
    const runId = await startRun(store, month, params);
    try {
      const imported = await importInbox(store, { output });
      const sessionCount = await countMonthSessions(store, month);
      if (sessionCount === 0) {
        throw new AppError('NO_DATA_FOR_MONTH', `the store holds no charging session with energy in ${month.month}`);
      }
      output.progress(`${month.month}: resampling ${sessionCount} sessions to half-hour slots`);
      const models = await buildMonthModels(store, month, params);
      await runDataTests(store);
      output.progress(`${month.month}: computing indicators and writing reports`);
      const published = await publishMonth(store, { month, params, paths, output, runId });
      output.endProgress();
      await finishRun(store, runId, 'succeeded');
      return { month: month.month, runId, imported, models, published, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      await finishRun(store, runId, 'failed').catch(() => undefined);
      throw error;
    }
  } finally {
    store.close();
  }
}

async function countMonthSessions(store: Store, month: MonthRange): Promise<number> {
  const reader = await store.connection.runAndReadAll(
    'select count(*) as n from sessions where stop_s > $start and start_s < $end',
    { start: month.startS, end: month.endS },
  );
  return Number(reader.getRowObjectsJS()[0].n);
}

async function startRun(store: Store, month: MonthRange, params: RunParams): Promise<number> {
  const reader = await store.connection.runAndReadAll(
    `insert into runs (run_id, month, started_at, status, params_json)
     select coalesce(max(run_id), 0) + 1, $month, now(), 'running', $params from runs
     returning run_id`,
    { month: month.month, params: JSON.stringify(params) },
  );
  return Number(reader.getRowObjectsJS()[0].run_id);
}

async function finishRun(store: Store, runId: number, status: 'succeeded' | 'failed'): Promise<void> {
  await store.connection.run('update runs set finished_at = now(), status = $status where run_id = $runId', { status, runId });
}
