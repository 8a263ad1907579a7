/**
 * Quoting for the few places DuckDB does not take bound parameters (file paths in COPY/read_* calls,
 * identifiers). Everything else reaches SQL as a bound parameter.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
