import type { Command } from 'commander';
import { commandContext } from '../context.js';
import { toInt } from './run.js';
import { parseMonth } from '../../util/month.js';
import { storeLayout } from '../../config/paths.js';
import { writeSample } from '../../sample/write-sample.js';
import { assertDataDirNotPurged } from '../../purge/marker.js';

export function registerSampleCommand(program: Command): void {
  program
    .command('sample')
    .description("write a realistic, deterministic month of inputs into the data dir's inbox")
    .requiredOption('--month <YYYY-MM>', 'the month to generate')
    .option('--sessions <n>', 'approximate number of sessions', toInt, 6000)
    .option('--seed <n>', 'random seed (same seed, same files)', toInt, 1)
    .option('--json', 'print the summary as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      // Sample inputs carry (synthetic) identifiers into the inbox: not into a purged data folder.
      assertDataDirNotPurged(paths.dataDir, 'sample');
      const summary = writeSample({
        month: parseMonth(options.month),
        sessions: options.sessions,
        seed: options.seed,
        outDir: storeLayout(paths.dataDir).inboxDir,
      });
      output.result(summary, () =>
        `wrote ${summary.files.length} files to ${summary.folder}: ${summary.chargePoints} charge points, ` +
        `${summary.beneficiaries} beneficiaries, ${summary.transactions} transactions, ${summary.anomalies} invalid sessions`,
      );
    });
}
