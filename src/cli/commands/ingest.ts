import { Option, type Command } from 'commander';
import { AppError } from '../../errors.js';
import { ingestPaths } from '../../ingest/ingest-paths.js';
import { formatSummary } from '../../ingest/summary.js';
import { openStore } from '../../store/database.js';
import { assertNotPurged } from '../../store/meta.js';
import { commandContext } from '../context.js';

/** `pipeline ingest <file|dir>... [--format] [--retry] [--json]` (issue 3). */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('load charging sessions (Advenir JSON/NDJSON/.gz, OCPI CDRs, IRVE sessions) and pending landing files')
    .argument('[paths...]', 'files or folders (walked recursively)')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'advenir', 'ocpi-cdr', 'irve-sessions']).default('auto'))
    .option('--retry', 'load sessions held because their charge point was not registered yet')
    .option('--programme-start <date>', 'refuse sessions before this UTC day (YYYY-MM-DD)', '2016-01-01')
    .option('--power-tolerance <ratio>', 'refuse (208) a mean power above nominal power x ratio; 0 turns the rule off', '1.1')
    .option('--errors-limit <n>', 'longest errors list printed with --json', '1000')
    .option('--json', 'print one JSON object')
    .action(async (paths: string[], options, command: Command) => {
      const { paths: dirs, output } = commandContext(command);
      const programmeStartS = parseDay(options.programmeStart);
      const errorsLimit = Number(options.errorsLimit);
      if (!Number.isInteger(errorsLimit) || errorsLimit < 0) throw new AppError('USAGE', '--errors-limit must be a whole number');
      const powerTolerance = Number(options.powerTolerance);
      if (!Number.isFinite(powerTolerance) || powerTolerance < 0) throw new AppError('USAGE', '--power-tolerance must be a ratio >= 0');
      const store = await openStore(dirs.dataDir);
      try {
        await assertNotPurged(store, 'ingest');
        const summary = await ingestPaths(store, paths, {
          format: options.format,
          retry: Boolean(options.retry),
          programmeStartS,
          errorsLimit,
          powerTolerance,
          output,
        });
        output.result(summary, () => formatSummary(summary));
      } finally {
        store.close();
      }
    });
}

function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new AppError('USAGE', `--programme-start must be a day YYYY-MM-DD, not '${day}'`);
  }
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
