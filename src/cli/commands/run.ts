import { Command, InvalidArgumentError, Option } from 'commander';
import { commandContext } from '../context.js';
import { loadRunParams } from '../../config/params.js';
import { parseMonth } from '../../util/month.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('import what is new, compute the month, and write reports/<month>/')
    .requiredOption('--month <YYYY-MM>', 'the month to compute (Europe/Paris calendar month)')
    .option('--config <file>', 'parameters file (default: ./pipeline.config.json when present)')
    .option('--min-stations <n>', 'primary suppression: minimum distinct charge points', toInt)
    .option('--min-beneficiaries <n>', 'primary suppression: minimum distinct beneficiaries', toInt)
    .option('--dominance-pct <pct>', 'primary suppression: largest contributor share limit', Number)
    .option('--top-n <n>', 'number of top national consumption slots for coincident load', toInt)
    .option('--episode-gap-hours <h>', 'longest gap inside a smart-charged episode', Number)
    .addOption(new Option('--carbon-kind <kind>', 'carbon series kind (auto: the one the store has for the month)').choices(['auto', 'production', 'consumption', 'lifecycle']))
    .addOption(new Option('--csv-locale <locale>', "CSV style: 'en' (, and .) or 'fr' (; and decimal comma)").choices(['en', 'fr']))
    .option('--json', 'print the run summary as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      const month = parseMonth(options.month);
      const params = loadRunParams({
        configFile: options.config,
        overrides: {
          minStations: options.minStations,
          minBeneficiaries: options.minBeneficiaries,
          dominancePct: options.dominancePct,
          topN: options.topN,
          episodeGapHours: options.episodeGapHours,
          carbonKind: options.carbonKind,
          csvLocale: options.csvLocale,
        },
      });
      // Loaded on use, so that `pipeline --help` and light commands start fast.
      const { runMonth } = await import('../../indicators/run-month.js');
      const result = await runMonth(paths, month, params, output);
      output.result(result, () =>
        [
          `${result.month}: reports written to ${result.published.reportDir}`,
          `  imported ${result.imported.newFiles} new file(s), ${result.imported.sessions.accepted} session(s) accepted`,
          `  ${result.published.files.length} file(s), ${result.seconds.toFixed(1)} s`,
        ].join('\n'),
      );
    });
}

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`'${value}' is not a whole number`);
  return n;
}
