/**
 * French formatting for the committee's report (issue 6: numbers in fr-FR, suppressed cells shown as
 * « secret statistique », never their value). Every value printed in the HTML goes through these helpers.
 */
export const SECRET_LABEL = 'secret statistique';
/** A published cell whose value does not exist (e.g. no consumption series for the top-N load). */
export const NOT_AVAILABLE_LABEL = 'non disponible';

const formatters = new Map<number, Intl.NumberFormat>();

function formatter(decimals: number): Intl.NumberFormat {
  let existing = formatters.get(decimals);
  if (!existing) {
    existing = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(decimals, existing);
  }
  return existing;
}

/**
 * A number in fr-FR (narrow no-break space for thousands, decimal comma). Null reads « non disponible »:
 * suppression is decided per row by the callers, which print SECRET_LABEL instead of calling this.
 */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE_LABEL;
  // Avoid printing "-0" for values that round to zero.
  const rounded = Number(value.toFixed(decimals));
  return formatter(decimals).format(rounded === 0 ? 0 : rounded);
}

export function formatWithUnit(value: number | null | undefined, unit: string, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE_LABEL;
  return `${formatNumber(value, decimals)}\u00a0${unit}`;
}

const MONTH_NAMES = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

/** '2024-05' → 'mai 2024'. */
export function formatMonthFr(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return `${MONTH_NAMES[monthNumber - 1]} ${year}`;
}

const WEEKDAY_NAMES = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** ISO weekdays → 'du lundi au vendredi', 'tous les jours' or an explicit list. */
export function formatWeekdays(weekdays: number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return 'tous les jours';
  const contiguous = days.every((day, index) => index === 0 || day === days[index - 1] + 1);
  if (contiguous && days.length >= 3) return `du ${WEEKDAY_NAMES[days[0]]} au ${WEEKDAY_NAMES[days[days.length - 1]]}`;
  return days.map((day) => WEEKDAY_NAMES[day]).join(', ');
}

/** '18:00' → '18\u00a0h', '18:30' → '18\u00a0h\u00a030'. */
export function formatLocalTime(hhmm: string): string {
  const [hours, minutes] = hhmm.split(':');
  return minutes === '00' ? `${Number(hours)}\u00a0h` : `${Number(hours)}\u00a0h\u00a0${minutes}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}
