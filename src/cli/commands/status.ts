import type { Command } from 'commander';
import { commandContext } from '../context.js';

/** `pipeline status`: what the store holds, in counts only (no identifier is ever printed). */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show what the store holds (counts only) and whether it was purged')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      const { openStore } = await import('../../store/database.js');
      const { readMeta } = await import('../../store/meta.js');
      const store = await openStore(paths.dataDir);
      try {
        const counts: Record<string, number> = {};
        for (const table of ['charge_points', 'sessions', 'curve_points', 'rejections', 'carbon_slots', 'ingest_batches', 'runs']) {
          const reader = await store.connection.runAndReadAll(`select count(*) as n from ${table}`);
          counts[table] = Number(reader.getRowObjectsJS()[0].n);
        }
        const monthsReader = await store.connection.runAndReadAll(
          `select month, max(finished_at)::varchar as last_run from runs where status = 'succeeded' group by month order by month`,
        );
        const months = monthsReader.getRowObjectsJS().map((row) => ({ month: String(row.month), lastRun: String(row.last_run) }));
        const purgedAt = (await readMeta(store, 'purged_at')) ?? null;
        const { monthStatuses, formatMonthStatuses } = await import('../../report/report-status.js');
        const data = await monthStatuses(store, paths.reportsDir);
        const status = { dataDir: paths.dataDir, purgedAt, counts, months, data };
        output.result(status, () =>
          [
            `store: ${paths.dataDir}${purgedAt ? ` (purged on ${purgedAt})` : ''}`,
            ...Object.entries(counts).map(([table, n]) => `  ${table.padEnd(16)} ${n}`),
            `months computed: ${months.map((m) => m.month).join(', ') || 'none'}`,
            `months with data or reports (${paths.reportsDir}):`,
            ...formatMonthStatuses(data),
          ].join('\n'),
        );
      } finally {
        store.close();
      }
    });
}
