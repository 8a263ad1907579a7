import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { commandContext } from '../context.js';
import { AppError } from '../../errors.js';
import { dryRun, type DryRun } from '../../purge/plan.js';
import { runPurge, type PurgeResult } from '../../purge/purge.js';

/** The word to type on a terminal: long enough that it cannot be typed by accident. */
export const CONFIRMATION_WORD = 'PURGE';

/** `pipeline purge [--dry-run] [--yes]`: end-of-programme deletion of all individual data (docs/purge.md). */
export function registerPurgeCommand(program: Command): void {
  program
    .command('purge')
    .description('end of programme: irreversibly delete every individual record and file, keep reports, write a certificate')
    .option('--dry-run', 'list what would be deleted and kept; change nothing')
    .option('--yes', `do not ask for confirmation (required when not on a terminal)`)
    .option('--json', 'print the result as JSON')
    .action(async (options: { dryRun?: boolean; yes?: boolean }, command: Command) => {
      const { paths, output } = commandContext(command);
      if (options.dryRun) {
        const plan = await dryRun(paths);
        output.result(plan, () => renderDryRun(plan));
        return;
      }
      await confirmPurge(options.yes === true, paths.dataDir);
      const result = await runPurge(paths, (message) => output.info(message));
      output.result(summary(result), () => renderResult(result));
    });
}

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Purge issue: on a terminal the operator types a word; elsewhere (scripts, CI, pipes) there is nobody to ask,
 * so `--yes` is required and its absence is a usage error (exit 2) that deletes nothing.
 */
export async function confirmPurge(yes: boolean, dataDir: string, io: ConfirmIo = { input: process.stdin, output: process.stderr }): Promise<void> {
  if (yes) return;
  if (!io.input.isTTY || !io.output.isTTY) {
    throw new AppError('PURGE_NOT_CONFIRMED', "not on a terminal: run 'pipeline purge --yes' to confirm the purge");
  }
  const prompt = readline.createInterface({ input: io.input, output: io.output });
  try {
    io.output.write(`This deletes every individual record and file of ${dataDir}, irreversibly.\n`);
    const answer = await prompt.question(`Type ${CONFIRMATION_WORD} to continue: `);
    if (answer.trim() !== CONFIRMATION_WORD) throw new AppError('PURGE_NOT_CONFIRMED', 'confirmation not given; nothing was deleted');
  } finally {
    prompt.close();
  }
}

function summary(result: PurgeResult) {
  const c = result.certificate;
  return {
    alreadyPurged: result.alreadyPurged,
    resumed: result.resumed,
    purgedAt: c.purged_at,
    certificate: result.certificateFile,
    deleted: { rows: c.deleted.rows, files: c.deleted.file_count, bytes: c.deleted.bytes },
    verification: { passed: c.verification.passed, identifiersSearched: c.verification.identifiersSearched, bytesSearched: c.verification.bytesSearched },
  };
}

function renderResult(result: PurgeResult): string {
  const c = result.certificate;
  if (result.alreadyPurged) return `already purged on ${c.purged_at}; certificate: ${result.certificateFile}`;
  return [
    `purged${result.resumed ? ' (an interrupted purge was completed)' : ''}: ${c.deleted.rows} row(s), ${c.deleted.file_count} file(s), ${c.deleted.bytes} byte(s) deleted`,
    `verified: ${c.verification.identifiersSearched} identifier(s) searched in ${c.verification.bytesSearched} byte(s), no match`,
    `certificate: ${result.certificateFile}`,
    ...(c.not_covered.external_input_files > 0
      ? [`not covered: ${c.not_covered.external_input_files} input file(s) loaded from outside the data folder still exist; delete them yourself`]
      : []),
  ].join('\n');
}

function renderDryRun(plan: DryRun): string {
  const table = (t: { name: string; rows: number }) => `    ${t.name.padEnd(28)} ${String(t.rows).padStart(12)} row(s)`;
  return [
    `dry run: nothing is changed`,
    `would delete from ${plan.dataDir}:`,
    '  tables (individual records):',
    ...plan.deleted.tables.map(table),
    `  files: ${plan.deleted.files.total.files} file(s), ${plan.deleted.files.total.bytes} byte(s)`,
    ...plan.deleted.files.byFolder.map((f) => `    ${f.folder.padEnd(28)} ${String(f.files).padStart(12)} file(s) ${f.bytes} byte(s)`),
    `would keep:`,
    '  tables (rebuilt into a fresh database file):',
    ...plan.kept.tables.map(table),
    `  reports in ${plan.reportsDir}: ${plan.kept.reports.files} file(s), ${plan.kept.reports.bytes} byte(s), unchanged`,
    ...plan.keptDataUnsafe.map((l) => `REFUSED: kept data name identifiers: ${l.where}: ${l.identifiers} ${l.kind}; 'pipeline purge' would stop`),
    ...(plan.notCovered.externalInputFiles > 0
      ? [`not covered: ${plan.notCovered.externalInputFiles} input file(s) loaded from outside the data folder still exist; delete them yourself`]
      : []),
  ].join('\n');
}
