import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { quoteIdentifier, quoteLiteral } from '../../store/quote.js';
import { isGzip, readInputHead, readMagic } from '../read-input.js';
import { sniffText } from '../sniff.js';
import { duckdbErrorMessage } from '../../util/safe-messages.js';

export type RegistryFormat = 'irve-static' | 'advenir-registration';

/** Columns read from each format, in the order of the staging table (IRVE static schema v2.3 names). */
const IRVE_COLUMNS = ['id_pdc_itinerance', 'siren_amenageur', 'id_pdc_itinerance', 'code_insee_commune', 'puissance_nominale', 'date_mise_en_service'];
const ADVENIR_COLUMNS = ['station_id', 'user_id', 'id_pdc_itinerance', 'code_insee_commune', 'puissance_nominale_kw', 'date_mise_en_service'];
const STAGE_NAMES = ['station_id', 'user_id', 'id_pdc_itinerance', 'commune_raw', 'power_raw', 'date_raw'];

/**
 * Loads a registry file into the temp table `stg_registry_raw(row_no, station_id, user_id, id_pdc_itinerance,
 * commune_raw, power_raw, date_raw)`, all text, with DuckDB's readers (CSV, JSON array or NDJSON, gzip).
 */
export async function stageRegistryFile(connection: DuckDBConnection, filePath: string): Promise<RegistryFormat> {
  const head = await readInputHead(filePath, 8192);
  // gzip by magic bytes, whatever the name; otherwise DuckDB's own detection (by extension).
  const compression = isGzip(readMagic(filePath)) ? 'gzip' : 'auto';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const kind = sniffText(text);
  if (kind !== 'registry-irve' && kind !== 'registry-advenir') {
    throw new AppError('UNKNOWN_FORMAT', `${filePath} is neither an IRVE static file nor an Advenir registration CSV`);
  }
  const format: RegistryFormat = kind === 'registry-irve' ? 'irve-static' : 'advenir-registration';
  const wanted = format === 'irve-static' ? IRVE_COLUMNS : ADVENIR_COLUMNS;
  const isJson = /^\s*[[{]/.test(text);
  const source = isJson ? jsonSource(filePath, compression, wanted) : csvSource(filePath, compression, text);
  const available = isJson ? new Set(wanted) : source.columns;
  const select = wanted
    .map((column, index) => `${available.has(column) ? `trim(cast(${quoteIdentifier(column)} as varchar))` : 'null::varchar'} as ${STAGE_NAMES[index]}`)
    .join(',\n        ');
  try {
    await connection.run(`
      create or replace temp table stg_registry_raw as
      select row_number() over () as row_no,
        ${select}
      from ${source.sql}`);
  } catch (error) {
    // DuckDB's message quotes the offending line (identifiers): only its position and kind are kept.
    throw new AppError('FILE_UNREADABLE', `${filePath} cannot be read as a ${format} file: ${duckdbErrorMessage(error)}`, { cause: error });
  }
  return format;
}

function jsonSource(filePath: string, compression: string, wanted: string[]): { sql: string; columns: Set<string> } {
  // Explicit columns: every value as text (the IRVE file has only strings, other feeds have numbers), other keys ignored.
  const columns = [...new Set(wanted)].map((column) => `${quoteLiteral(column)}: 'VARCHAR'`).join(', ');
  return {
    sql: `read_json(${quoteLiteral(filePath)}, format = 'auto', compression = ${quoteLiteral(compression === 'auto' ? 'auto_detect' : compression)}, columns = {${columns}})`,
    columns: new Set(wanted),
  };
}

function csvSource(filePath: string, compression: string, text: string): { sql: string; columns: Set<string> } {
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].sort((a, b) => headerLine.split(b).length - headerLine.split(a).length)[0];
  const columns = new Set(headerLine.split(delimiter).map((column) => column.trim().replace(/^"|"$/g, '')));
  return {
    sql: `read_csv(${quoteLiteral(filePath)}, header = true, all_varchar = true, delim = ${quoteLiteral(delimiter)}, compression = ${quoteLiteral(compression)})`,
    columns,
  };
}
