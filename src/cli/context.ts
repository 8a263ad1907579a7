import type { Command } from 'commander';
import { resolvePaths, type Paths } from '../config/paths.js';
import { createOutput, type Output } from './output.js';

/** What every command action needs: resolved folders and the output module. */
export interface CommandContext {
  paths: Paths;
  output: Output;
}

export function commandContext(command: Command): CommandContext {
  const options = command.optsWithGlobals() as { dataDir?: string; reportsDir?: string; json?: boolean };
  return {
    paths: resolvePaths(options),
    output: createOutput({ json: options.json }),
  };
}
