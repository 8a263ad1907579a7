import type { Command } from 'commander';
import { commandContext } from '../context.js';
import { openStore } from '../../store/database.js';
import { assertNotPurged } from '../../store/meta.js';

/** `pipeline registry import <file>`: charge points from an IRVE static file or an Advenir registration CSV. */
export function registerRegistryCommand(program: Command): void {
  const registry = program.command('registry').description('the charge point registry');
  registry
    .command('import')
    .description('import charge points: IRVE static schema (CSV, JSON, NDJSON, gzip) or Advenir registration CSV')
    .argument('<file>', 'the registry file')
    .option('--json', 'print the import summary as JSON')
    .action(async (file: string, options, command: Command) => {
      const { paths, output } = commandContext(command);
      const { importRegistryFile } = await import('../../formats/registry/import.js');
      const store = await openStore(paths.dataDir);
      try {
        await assertNotPurged(store, 'registry import');
        const summary = await importRegistryFile(store, file);
        if (summary.unresolved.chargePoints > 0) {
          output.warn(
            `${summary.unresolved.chargePoints} charge point(s) have a commune code that does not resolve ` +
              `(${summary.unresolved.communeCodes.join(', ')}): they count nationally but in no region`,
          );
        }
        output.result(summary, () =>
          [
            `${summary.file} (${summary.format}): ${summary.rows} row(s), ${summary.chargePoints} charge point(s)`,
            `  inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}` +
              `, beneficiary changes ${summary.beneficiaryChanges}, linked to a registration ${summary.linkedToRegistration}`,
            `  invalid rows ${summary.invalidRows}, repeated rows ${summary.duplicateRows}`,
            `  region resolved ${summary.resolved}, unresolved commune ${summary.unresolved.chargePoints}, no commune ${summary.noCommune}`,
          ].join('\n'),
        );
      } finally {
        store.close();
      }
    });
}
