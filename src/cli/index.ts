import { Command, Option } from 'commander';
import { readPackageVersion } from '../util/version.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerRejectionsCommand } from './commands/rejections.js';
import { registerRunCommand } from './commands/run.js';
import { registerRegistryCommand } from './commands/registry.js';
import { registerCarbonCommand } from './commands/carbon.js';
import { registerSampleCommand } from './commands/sample.js';
import { registerStatusCommand } from './commands/status.js';
import { registerPurgeCommand } from './commands/purge.js';
import { registerServeCommand } from './commands/serve.js';
import { registerOperatorsCommand } from './commands/operators.js';

/**
 * Builds the `pipeline` command (Malloy-style factory: tests drive it with parseAsync(..., {from: 'user'})).
 * Global options are declared on the program; commander accepts them anywhere on the command line.
 */
export function createCli(): Command {
  const program = new Command('pipeline')
    .description('Advenir EV charging data: collect, store, resample, compute anonymous indicators, publish, purge.')
    .version(readPackageVersion(), '-V, --version')
    .addOption(new Option('--data-dir <dir>', 'store folder (env PIPELINE_DATA_DIR)').default(undefined, './data'))
    .addOption(new Option('--reports-dir <dir>', 'reports folder (env PIPELINE_REPORTS_DIR)').default(undefined, './reports'))
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      // Usage errors are printed once by main() as error[USAGE].
      outputError: () => undefined,
    });

  registerIngestCommand(program);
  registerRejectionsCommand(program);
  registerRunCommand(program);
  registerRegistryCommand(program);
  registerCarbonCommand(program);
  registerSampleCommand(program);
  registerStatusCommand(program);
  registerPurgeCommand(program);
  registerServeCommand(program);
  registerOperatorsCommand(program);

  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}
