import { CommanderError } from 'commander';
import { createCli } from './index.js';
import { reportError } from './output.js';
import { EXIT_OK, EXIT_USAGE } from '../errors.js';

/** Runs the CLI and returns the process exit code (0 ok, 1 data/runtime error, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const program = createCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT_OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return EXIT_OK;
      process.stderr.write(`error[USAGE]: ${error.message.replace(/^error: /, '')}\n`);
      process.stderr.write(`Run 'pipeline ${commandPath(argv)}--help' for usage.\n`);
      return EXIT_USAGE;
    }
    return reportError(error, argv.includes('--json'));
  }
}

function commandPath(argv: string[]): string {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return first ? `${first} ` : '';
}
