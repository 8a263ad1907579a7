/**
 * CSV as the steering committee and analysts open it (issue 5): UTF-8, a header, `,` and `.` by default;
 * the `fr` locale writes `;` and decimal commas for French spreadsheets, with a byte-order mark so that
 * spreadsheet software reads the accents as UTF-8. Nulls (suppressed values) are empty fields.
 */
export type CsvLocale = 'en' | 'fr';

export type CsvValue = string | number | bigint | boolean | null | undefined;

export function formatCsv(columns: string[], rows: CsvValue[][], locale: CsvLocale): string {
  const separator = locale === 'fr' ? ';' : ',';
  const lines = [columns, ...rows].map((row) => row.map((value) => formatField(value, locale, separator)).join(separator));
  const bom = locale === 'fr' ? '\uFEFF' : '';
  return `${bom}${lines.join('\n')}\n`;
}

export function formatField(value: CsvValue, locale: CsvLocale, separator: string): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = formatNumber(value, locale);
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else text = value;
  return needsQuotes(text, separator) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Values arrive rounded to 3 decimals by the SQL (indicators.md "Rounding"): the shortest form suffices. */
function formatNumber(value: number, locale: CsvLocale): string {
  if (!Number.isFinite(value)) return '';
  const text = Object.is(value, -0) ? '0' : String(value);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

function needsQuotes(text: string, separator: string): boolean {
  return text.includes(separator) || text.includes('"') || text.includes('\n') || text.includes('\r');
}
