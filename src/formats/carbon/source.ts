import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { quoteIdentifier, quoteLiteral } from '../../store/quote.js';
import { isGzip, isParquet, readInputHead, readMagic } from '../read-input.js';

export const CARBON_KINDS = ['production', 'consumption', 'lifecycle'] as const;
export type CarbonKind = (typeof CARBON_KINDS)[number];

/** How to read one carbon file into (ts_s, g_per_kwh, consumption_mw, kind) rows; every part is SQL we wrote. */
export interface CarbonSourcePlan {
  source: 'eco2mix' | 'odre' | 'electricitymaps' | 'generic';
  sourceName: string;
  from: string;
  timeSql: string;
  valueSql: string;
  consumptionSql: string;
  kindSql: string;
  /** The source's documented step, used when a file has too few rows to measure it. */
  nominalStepS: number;
}

/**
 * UNIX seconds from a text date-time: an explicit offset or Z is honoured (éCO2mix writes local time with
 * +01:00/+02:00), a zone-less value is UTC (Electricity Maps' "Datetime (UTC)"), never the session's zone.
 */
export function utcSecondsSql(column: string): string {
  const text = `trim(cast(${column} as varchar))`;
  return `case
      when regexp_matches(${text}, '\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*(Z|[+-]\\d\\d(:?\\d\\d)?)$')
        then cast(round(epoch(try_cast(${text} as timestamptz))) as bigint)
      else cast(round(epoch(coalesce(try_cast(${text} as timestamp), try_strptime(${text}, '%d/%m/%Y %H:%M')))) as bigint)
    end`;
}

/** A decimal number from text, French decimal comma accepted. */
function numberSql(column: string): string {
  return `try_cast(replace(trim(cast(${column} as varchar)), ',', '.') as double)`;
}

export async function planCarbonSource(connection: DuckDBConnection, filePath: string, kind?: CarbonKind): Promise<CarbonSourcePlan> {
  const magic = readMagic(filePath, 4);
  const file = quoteLiteral(filePath);
  if (isParquet(magic)) {
    const reader = await connection.runAndReadAll(`describe select * from read_parquet(${file})`);
    const types = new Map(reader.getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]));
    return choosePlan(filePath, `read_parquet(${file})`, types, kind);
  }
  const head = (await readInputHead(filePath, 8192)).toString('utf8').replace(/^\uFEFF/, '');
  const headerLine = head.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', ',', '\t'].sort((a, b) => headerLine.split(b).length - headerLine.split(a).length)[0];
  const columns = headerLine.split(delimiter).map((column) => column.trim().replace(/^"|"$/g, ''));
  const compression = isGzip(magic) ? 'gzip' : 'none';
  const from = `read_csv(${file}, header = true, all_varchar = true, delim = ${quoteLiteral(delimiter)}, compression = ${quoteLiteral(compression)})`;
  return choosePlan(filePath, from, new Map(columns.map((column) => [column, 'VARCHAR'])), kind);
}

function choosePlan(filePath: string, from: string, types: Map<string, string>, kind?: CarbonKind): CarbonSourcePlan {
  const has = (name: string) => types.has(name);
  const find = (pattern: RegExp) => [...types.keys()].find((name) => pattern.test(name));
  const col = quoteIdentifier;
  const timeOf = (name: string) => (types.get(name)?.startsWith('TIMESTAMP') ? `cast(round(epoch(${col(name)})) as bigint)` : utcSecondsSql(col(name)));
  const fixedKind = (source: string, only: CarbonKind) => {
    if (kind && kind !== only) throw new AppError('USAGE', `${source} gives a ${only}-based intensity; --kind ${kind} does not apply to it`);
    return quoteLiteral(only);
  };
  const co2 = find(/^Taux de CO2/i);
  if (co2 && has('Date - Heure')) {
    // RTE éCO2mix (ODRÉ export): "Taux de CO2" is the direct emission rate of French production (indicators.md).
    return {
      source: 'eco2mix', sourceName: 'RTE eCO2mix', from, nominalStepS: 900,
      timeSql: timeOf('Date - Heure'), valueSql: numberSql(col(co2)),
      consumptionSql: has('Consommation (MW)') ? numberSql(col('Consommation (MW)')) : 'null::double',
      kindSql: fixedKind('éCO2mix "Taux de CO2"', 'production'),
    };
  }
  const odreTime = ['date_heure_utc', 'date_heure'].find(has);
  if (has('intensite_emissions_conso') && odreTime) {
    // ODRÉ part-enr-intensite-ges-conso-tr: intensity of the electricity consumed in France, imports included.
    return {
      source: 'odre', sourceName: 'ODRE', from, nominalStepS: 3600,
      timeSql: timeOf(odreTime), valueSql: numberSql(col('intensite_emissions_conso')), consumptionSql: 'null::double',
      kindSql: fixedKind('ODRÉ intensite_emissions_conso', 'consumption'),
    };
  }
  const lca = find(/carbon intensity.*\(LCA\)/i);
  const direct = find(/carbon intensity.*\(direct\)/i);
  if (has('Datetime (UTC)') && (lca || direct)) {
    // Electricity Maps: the LCA column is the life-cycle intensity, the direct one the production's emissions.
    const chosen = (kind ?? 'lifecycle') === 'lifecycle' ? lca : kind === 'production' ? direct : undefined;
    if (!chosen) throw new AppError('USAGE', `an Electricity Maps export has no ${kind}-based column; use --kind lifecycle or production`);
    return {
      source: 'electricitymaps', sourceName: 'Electricity Maps', from, nominalStepS: 3600,
      timeSql: timeOf('Datetime (UTC)'), valueSql: numberSql(col(chosen)), consumptionSql: 'null::double',
      kindSql: quoteLiteral(kind ?? 'lifecycle'),
    };
  }
  if (has('datetime_utc') && has('g_per_kwh')) {
    return {
      source: 'generic', sourceName: 'generic CSV', from, nominalStepS: 3600,
      timeSql: timeOf('datetime_utc'), valueSql: numberSql(col('g_per_kwh')),
      consumptionSql: has('consumption_mw') ? numberSql(col('consumption_mw')) : 'null::double',
      kindSql: has('kind') ? `lower(trim(${col('kind')}))` : quoteLiteral(kind ?? 'consumption'),
    };
  }
  throw new AppError('UNKNOWN_FORMAT', `${filePath} is not a known carbon series (éCO2mix, ODRÉ, Electricity Maps, or datetime_utc,g_per_kwh)`);
}
