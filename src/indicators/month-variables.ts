import type { LocalWindow, RunParams } from '../config/params.js';
import type { Store } from '../store/database.js';
import { nextMonthFirstDay, type MonthRange } from '../util/month.js';

/**
 * The SQL models of sql/marts read the month and the run parameters as DuckDB variables (house style:
 * parameters reach SQL as variables or bound parameters, never concatenated). Names and types are fixed here;
 * only the values come from the month and the validated RunParams.
 */
type SqlType = 'bigint' | 'integer' | 'double' | 'varchar';

export async function setMonthVariables(store: Store, month: MonthRange, params: RunParams, carbonKind: string): Promise<void> {
  const variables: Array<[string, SqlType, string | number]> = [
    ['month', 'varchar', month.month],
    ['month_start_s', 'bigint', month.startS],
    ['month_end_s', 'bigint', month.endS],
    ['month_end_date', 'varchar', nextMonthFirstDay(month.month)],
    ['carbon_kind', 'varchar', carbonKind],
    ['top_n', 'bigint', params.topN],
    ...windowVariables('peak', params.peakWindow),
    ...windowVariables('offpeak', params.offPeakWindow),
  ];
  for (const [name, type, value] of variables) {
    await store.connection.run(`set variable ${name} = $value::${type}`, { value });
  }
}

function windowVariables(prefix: string, window: LocalWindow): Array<[string, SqlType, number]> {
  return [
    [`${prefix}_start_min`, 'integer', minutesOfDay(window.start)],
    [`${prefix}_end_min`, 'integer', minutesOfDay(window.end)],
    [`${prefix}_weekdays_mask`, 'integer', weekdayMask(window.weekdays)],
  ];
}

/** '18:30' → 1110. */
export function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/** ISO weekdays [1..7] → bit mask (bit d set for weekday d), tested in SQL with `(mask >> isodow) & 1`. */
export function weekdayMask(weekdays: number[]): number {
  return weekdays.reduce((mask, day) => mask | (1 << day), 0);
}
