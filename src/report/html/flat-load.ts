import type { LocalWindow } from '../../config/params.js';
import type { LoadProfileRow } from './published-tables.js';

/**
 * The share of a month's energy a perfectly flat load would put in the peak window: the number of peak
 * half-hours over all half-hours of the month. It tells the committee what the EV peak share compares with
 * (indicators.md: `grid_carbon_g_per_kwh` is the same idea for carbon). Counted from the load profile's
 * `occurrences` (days of each type having each local half-hour, DST included), which exists only per day type:
 * a window whose weekdays split a day type (e.g. Monday to Thursday) gives null.
 */
export function flatLoadPeakSharePct(rows: LoadProfileRow[], window: LocalWindow): number | null {
  const days = new Set(window.weekdays);
  const dayTypes: Record<LoadProfileRow['day_type'], number[]> = { weekday: [1, 2, 3, 4, 5], weekend: [6, 7] };
  const inWindow: Partial<Record<LoadProfileRow['day_type'], boolean>> = {};
  for (const [dayType, members] of Object.entries(dayTypes) as Array<[LoadProfileRow['day_type'], number[]]>) {
    const covered = members.filter((day) => days.has(day)).length;
    if (covered !== 0 && covered !== members.length) return null;
    inWindow[dayType] = covered === members.length;
  }
  const start = minutes(window.start);
  const end = minutes(window.end);
  const inHours = (minute: number) => (start < end ? minute >= start && minute < end : minute >= start || minute < end);
  let all = 0;
  let peak = 0;
  for (const row of rows) {
    all += row.occurrences;
    if (inWindow[row.day_type] && inHours(row.local_minute)) peak += row.occurrences;
  }
  return all > 0 ? (100 * peak) / all : null;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
