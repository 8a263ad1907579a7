import { Command, InvalidArgumentError, Option } from 'commander';
import { commandContext } from '../context.js';
import { loadRunParams } from '../../config/params.js';
import { parseMonth } from '../../util/month.js';
import type { RunMonthResult } from '../../indicators/run-month.js';
import { monthsBetween } from '../../indicators/month-list.js';
import { formatNationalRow } from '../../report/national-row.js';
import { AppError, isAppError } from '../../errors.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('import what is new, compute the month, and write reports/<month>/')
    .option('--month <YYYY-MM>', 'the month to compute (Europe/Paris calendar month)')
    .option('--from <YYYY-MM>', 'first month of a range (with --to); months without data are skipped')
    .option('--to <YYYY-MM>', 'last month of a range (with --from)')
    .option('--config <file>', 'parameters file (default: ./pipeline.config.json when present)')
    .option('--min-stations <n>', 'primary suppression: minimum distinct charge points', toInt)
    .option('--min-beneficiaries <n>', 'primary suppression: minimum distinct beneficiaries', toInt)
    .addOption(new Option('--dominance-rule <rule>', "primary suppression: 'share' (largest contributor at most --dominance-pct) or 'p-percent' (p % rule)").choices(['share', 'p-percent']))
    .option('--dominance-pct <pct>', 'primary suppression: largest contributor share limit', Number)
    .option('--p-percent <p>', 'p % rule: the rest of a cell must reach p % of its largest contributor', Number)
    .option('--top-n <n>', 'number of top national consumption slots for coincident load', toInt)
    .option('--episode-gap-hours <h>', 'longest gap inside a smart-charged episode', Number)
    .option('--peak-window <HH:MM-HH:MM[@days]>', "peak window, local time, e.g. 18:00-20:00@1-5 (ISO weekdays; default Mon-Fri)", (v: string) => toWindow(v, [1, 2, 3, 4, 5]))
    .option('--off-peak-window <HH:MM-HH:MM[@days]>', 'off-peak window, e.g. 23:00-07:00 (default every day)', (v: string) => toWindow(v, [1, 2, 3, 4, 5, 6, 7]))
    .option('--max-missing-carbon-pct <pct>', 'refuse when more EV energy than this falls in slots without intensity', Number)
    .addOption(new Option('--carbon-kind <kind>', 'carbon series kind (auto: the one the store has for the month)').choices(['auto', 'production', 'consumption', 'lifecycle']))
    .addOption(new Option('--csv-locale <locale>', "CSV style: 'en' (, and .) or 'fr' (; and decimal comma)").choices(['en', 'fr']))
    .option('--json', 'print the run summary as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      const months = selectMonths(options);
      const params = loadRunParams({
        configFile: options.config,
        overrides: {
          minStations: options.minStations,
          minBeneficiaries: options.minBeneficiaries,
          dominanceRule: options.dominanceRule,
          dominancePct: options.dominancePct,
          pPercent: options.pPercent,
          topN: options.topN,
          episodeGapHours: options.episodeGapHours,
          peakWindow: options.peakWindow,
          offPeakWindow: options.offPeakWindow,
          maxMissingCarbonPct: options.maxMissingCarbonPct,
          carbonKind: options.carbonKind,
          csvLocale: options.csvLocale,
        },
      });
      // Loaded on demand: DuckDB and the models are not needed for --help or a usage error.
      const { runMonth } = await import('../../indicators/run-month.js');
      const results: RunMonthResult[] = [];
      const skipped: string[] = [];
      for (const month of months) {
        try {
          results.push(await runMonth(paths, month, params, output));
        } catch (error) {
          // In a range, a month without sessions is expected (e.g. before the programme started).
          if (months.length > 1 && isAppError(error) && error.code === 'NO_DATA_FOR_MONTH') skipped.push(month.month);
          else throw error;
        }
      }
      const { ensureRegistryPowers } = await import('../../serve/registry-powers.js');
      await ensureRegistryPowers(paths.dataDir);
      if (results.length === 0) throw new AppError('NO_DATA_FOR_MONTH', `the store holds no charging session in ${months[0].month} to ${months[months.length - 1].month}`);
      const shown = results.map(withoutModelCounts);
      const value = months.length === 1 ? shown[0] : { months: shown, skipped };
      output.result(value, () => [...results.flatMap(closingNote), ...(skipped.length ? [`skipped (no data): ${skipped.join(', ')}`] : [])].join('\n'));
    });
}

/**
 * The resampling's own counts (sessions, episodes per month before suppression) stay out of the printed result:
 * privacy.md wants no count below the thresholds printed anywhere. The published national row is shown instead.
 */
function withoutModelCounts(result: RunMonthResult) {
  return { ...result, models: { seconds: result.models.seconds } };
}

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`'${value}' is not a whole number`);
  return n;
}

function selectMonths(options: { month?: string; from?: string; to?: string }) {
  if (options.month && !options.from && !options.to) return [parseMonth(options.month)];
  if (!options.month && options.from && options.to) return monthsBetween(options.from, options.to);
  throw new AppError('USAGE', 'give either --month YYYY-MM, or --from YYYY-MM and --to YYYY-MM');
}

/** The closing note: where the files are, and the national row as published (issue 5). */
function closingNote(result: RunMonthResult): string[] {
  const published = result.published;
  return [
    `${result.month}: reports written to ${published.reportDir}`,
    `  imported ${result.imported.newFiles} new file(s), ${result.imported.sessions.accepted} session(s) accepted`,
    `  ${published.files.length} file(s), ${published.rows} cell(s), carbon series '${published.carbonKind}', ${result.seconds.toFixed(1)} s`,
    `  suppressed cells: ${Object.entries(published.suppressedCells).map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
    `  national row (France):`,
    ...formatNationalRow(published.national).map((line) => `  ${line}`),
  ];
}

/**
 * '18:00-20:00' or '18:00-20:00@1-5' or '23:00-07:00@1,2,3,4,5' → a LocalWindow (validated again by the
 * RunParams schema). Weekdays are ISO (1 = Monday).
 */
export function toWindow(value: string, defaultWeekdays: number[]): { start: string; end: string; weekdays: number[] } {
  const match = /^(\d\d:\d\d)-(\d\d:\d\d)(?:@([1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*))?$/.exec(value);
  if (!match) throw new InvalidArgumentError(`'${value}' is not a window like 18:00-20:00 or 18:00-20:00@1-5`);
  const weekdays = match[3]
    ? match[3].split(',').flatMap((part) => {
        const [from, to = from] = part.split('-').map(Number);
        return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
      })
    : defaultWeekdays;
  return { start: match[1], end: match[2], weekdays: [...new Set(weekdays)].sort() };
}
