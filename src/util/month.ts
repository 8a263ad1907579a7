import { fromZonedTime } from 'date-fns-tz';
import { AppError } from '../errors.js';

/** The programme's local time zone: local notions (month, weekday, hour windows) use it (indicators.md). */
export const LOCAL_TIME_ZONE = 'Europe/Paris';
export const SLOT_SECONDS = 1800;

/**
 * A month `YYYY-MM`: the half-hour slots whose Europe/Paris local start falls in that calendar month.
 * `startS`/`endS` are the UNIX seconds of the first slot start and of the first slot after the month.
 */
export interface MonthRange {
  month: string;
  startS: number;
  endS: number;
}

export function parseMonth(month: string): MonthRange {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new AppError('INVALID_MONTH', `'${month}' is not a month; write it YYYY-MM, e.g. 2024-05`);
  return {
    month,
    startS: localMidnightSeconds(`${month}-01`),
    endS: localMidnightSeconds(nextMonthFirstDay(month)),
  };
}

/** '2024-12' → '2025-01-01': the local day the month ends on (exclusive). */
export function nextMonthFirstDay(month: string): string {
  const [year, monthIndex] = month.split('-').map(Number);
  return monthIndex === 12 ? `${year + 1}-01-01` : `${year}-${String(monthIndex + 1).padStart(2, '0')}-01`;
}

/** UNIX seconds of 00:00 Europe/Paris on a `YYYY-MM-DD` day. */
export function localMidnightSeconds(day: string): number {
  return fromZonedTime(`${day}T00:00:00`, LOCAL_TIME_ZONE).getTime() / 1000;
}
