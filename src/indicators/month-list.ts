import { AppError } from '../errors.js';
import { parseMonth, type MonthRange } from '../util/month.js';

/** Every month from `from` to `to` included (`pipeline run --from 2024-01 --to 2024-12`). */
export function monthsBetween(from: string, to: string): MonthRange[] {
  const first = parseMonth(from);
  const last = parseMonth(to);
  if (first.startS > last.startS) throw new AppError('USAGE', `--from ${from} is after --to ${to}`);
  const months: MonthRange[] = [];
  let [year, month] = from.split('-').map(Number);
  for (;;) {
    const current = parseMonth(`${year}-${String(month).padStart(2, '0')}`);
    months.push(current);
    if (current.month === last.month) return months;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}
