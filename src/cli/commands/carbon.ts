import { Option, type Command } from 'commander';
import { commandContext } from '../context.js';
import { openStore } from '../../store/database.js';
import { assertDataDirNotPurged } from '../../purge/marker.js';

/** `pipeline carbon import <file> [--kind ...]`: a carbon-intensity series into half-hour slots. */
export function registerCarbonCommand(program: Command): void {
  const carbon = program.command('carbon').description('carbon-intensity series of the grid');
  carbon
    .command('import')
    .description('import an éCO2mix, ODRÉ (CSV or Parquet), Electricity Maps or generic datetime_utc,g_per_kwh series')
    .argument('<file>', 'the series file')
    .addOption(new Option('--kind <kind>', 'which intensity to store (default: the source\'s own; Electricity Maps: lifecycle)').choices(['production', 'consumption', 'lifecycle']))
    .option('--json', 'print the import summary as JSON')
    .action(async (file: string, options: { kind?: 'production' | 'consumption' | 'lifecycle' }, command: Command) => {
      const { paths, output } = commandContext(command);
      // After the purge the store is certified by its hash: nothing may change it any more.
      assertDataDirNotPurged(paths.dataDir, 'carbon import');
      const { importCarbonFile } = await import('../../formats/carbon/import.js');
      const store = await openStore(paths.dataDir);
      try {
        const summary = await importCarbonFile(store, file, { kind: options.kind });
        for (const series of summary.series) {
          if (series.gapSlots > 0) output.warn(`${series.kind}: ${series.gapSlots} half-hour slot(s) missing in ${series.gaps.length} gap(s) or more`);
        }
        const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');
        output.result(summary, () =>
          [
            `${summary.file} (${summary.sourceName}, step ${summary.stepS} s): ${summary.rows} row(s), ${summary.skippedRows} without value`,
            ...summary.series.map(
              (s) =>
                `  ${s.kind}: ${s.slots} slot(s) ${iso(s.firstSlotS)} → ${iso(s.lastSlotS)} UTC, replaced ${s.replacedSlots}, ` +
                `missing ${s.gapSlots}, mean ${s.meanGPerKwh.toFixed(3)} g/kWh`,
            ),
          ].join('\n'),
        );
      } finally {
        store.close();
      }
    });
}
