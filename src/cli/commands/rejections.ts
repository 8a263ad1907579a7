import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { listRejections, type RejectionListing } from '../../ingest/rejections-query.js';
import { openStore } from '../../store/database.js';
import { parseMonth } from '../../util/month.js';
import { commandContext } from '../context.js';

/** `pipeline rejections [--month M] [--code C] [--json]`: the refused sessions kept with their raw JSON. */
export function registerRejectionsCommand(program: Command): void {
  program
    .command('rejections')
    .description('list refused sessions (code, message, source file, raw JSON); held ones await their charge point')
    .option('--month <YYYY-MM>', 'only sessions starting in this month (Europe/Paris)')
    .option('--code <code>', 'only this code')
    .option('--limit <n>', 'longest list printed (counts are never capped)', '1000')
    .option('--json', 'print one JSON object')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      const month = options.month ? parseMonth(options.month) : undefined;
      const code = options.code === undefined ? undefined : Number(options.code);
      if (code !== undefined && !Number.isInteger(code)) throw new AppError('USAGE', `--code must be a number, not '${options.code}'`);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new AppError('USAGE', '--limit must be a whole number');
      const store = await openStore(paths.dataDir);
      try {
        const listing = await listRejections(store, { month, code, limit });
        output.result(listing, () => formatListing(listing));
      } finally {
        store.close();
      }
    });
}

function formatListing(listing: RejectionListing): string {
  const lines = [`${listing.total} rejected sessions${listing.total ? `: ${Object.entries(listing.by_code).map(([c, n]) => `${c}: ${n}`).join(', ')}` : ''}`];
  for (const r of listing.rejections) {
    const state = r.held ? (r.resolved_batch_id === null ? ' [held]' : ` [resolved by batch ${r.resolved_batch_id}]`) : '';
    const span = r.start_s === null ? '' : ` ${new Date(r.start_s * 1000).toISOString()}`;
    lines.push(`#${r.rejection_id} ${r.code}${state}${span} ${r.station_id ?? '-'}/${r.transaction_id ?? '-'}: ${r.message} (${r.source_file ?? '-'})`);
  }
  return lines.join('\n');
}
