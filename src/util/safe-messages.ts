/**
 * Error messages of parsers quote the input around the error (V8's JSON.parse, DuckDB's CSV reader print the
 * whole offending line), and input holds identifiers: these keep the position only, since no message at the
 * default level may carry a UserID, StationID, TransactionID or id_pdc_itinerance (privacy.md).
 */

/** JSON.parse's error as its position only. */
export function jsonErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(text);
  if (position) return `JSON cannot be parsed (at character ${position[1]})`;
  if (/end of JSON input/i.test(text)) return 'JSON cannot be parsed (unexpected end of input)';
  return 'JSON cannot be parsed';
}

/**
 * A DuckDB error without the input it quotes: the lines that echo the file ("Original Line: ...") are dropped,
 * and any quoted text left is replaced by an ellipsis. Line numbers, column counts and the error kind stay.
 */
export function duckdbErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*(Original Line|Line:|Possible (fixes|Solution))/i.test(line) && !/^\s*\*/.test(line))
    .map((line) => line.replace(/'[^'\n]*'|"[^"\n]*"/g, '…'))
    .slice(0, 3)
    .join(' ');
}
