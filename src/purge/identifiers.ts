import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../store/quote.js';
import { purgedTextColumns } from './allow-list.js';
import type { KeptText } from './kept-check.js';
import { writeFileDurably } from './durable-fs.js';

/** The kinds of identifiers the verification looks for (privacy.md lists them as never to be published). */
export type IdentifierKind = 'user_id' | 'station_id' | 'transaction_id' | 'id_pdc_itinerance';

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

export interface SampleSummary {
  /** Distinct identifiers of each kind the store held before the purge. */
  known: Record<string, number>;
  /** How many of each kind the byte search looks for. */
  searched: Record<string, number>;
  /** Identifiers too short to be searched without chance matches (see MIN_IDENTIFIER_BYTES). */
  notDistinctive: number;
  /** Identifiers that also occur inside a kept value (e.g. a short number in a run's manifest). */
  occurInKeptData: number;
}

/**
 * What makes an identifier worth searching byte by byte. OCPP TransactionIDs are often small counters ('2401'):
 * such a number also occurs by chance in kept bytes (a view's SQL holds 4294967296, a manifest holds energies),
 * and a chance match would fail a clean purge forever. Six bytes make a chance match in the kept binary pages
 * negligible (about 1e-6 per purge); kept text is handled by the exclusion below. Shorter identifiers are
 * counted as not distinctive and covered by the logical check (every individual table empty).
 */
export const MIN_IDENTIFIER_BYTES = 6;
/** Per kind; the search costs (sample size × bytes of the data dir), which stays small after a rebuild. */
export const SAMPLE_PER_KIND = 250;

export const IDENTIFIER_COLUMNS: readonly IdentifierKind[] = ['user_id', 'station_id', 'transaction_id', 'id_pdc_itinerance'];

/**
 * Every column named after an identifier kind, in every table the purge deletes (sessions, charge_points,
 * rejections, charge_point_history, the monthly run's month_* tables, and any table added later). The sample is
 * taken per kind in hash order: deterministic, yet spread over the whole store rather than the first rows loaded.
 */
async function sampleSql(connection: DuckDBConnection): Promise<string | undefined> {
  const sources = (await purgedTextColumns(connection, IDENTIFIER_COLUMNS)).map(
    ({ name, column, table }) => `select ${quoteLiteral(name)} as kind, ${column} as v from ${table}`,
  );
  if (sources.length === 0) return undefined;
  return `
with ids as (
    ${sources.join('\n    union\n    ')}
),
known as (
    select kind, v, strlen(v) >= $min_bytes as long_enough from ids where v is not null and v <> ''
),
ranked as (
    select kind, v, row_number() over (partition by kind order by hash(v), v) as rn from known where long_enough
),
final as (
    select kind, v, rn, null::bigint as known_count, null::bigint as short_count from ranked
    where rn <= $per_kind or kind <> 'transaction_id'
    union all
    select kind, null, null, count(*), count(*) filter (where not long_enough) from known group by kind
)
select * from final order by kind, v nulls first`;
}

export interface SampledIdentifiers {
  /** What the byte search looks for. */
  sample: Identifier[];
  /**
   * For the kept-data check: every distinctive UserID, StationID and id_pdc_itinerance (bounded by the registry),
   * and the sampled TransactionIDs (there can be millions), including those found inside kept text.
   */
  candidates: Identifier[];
  summary: SampleSummary;
}

export async function sampleIdentifiers(connection: DuckDBConnection, keptText: KeptText[]): Promise<SampledIdentifiers> {
  const summary: SampleSummary = { known: {}, searched: {}, notDistinctive: 0, occurInKeptData: 0 };
  const sql = await sampleSql(connection);
  if (!sql) return { sample: [], candidates: [], summary };
  const reader = await connection.runAndReadAll(sql, { min_bytes: MIN_IDENTIFIER_BYTES, per_kind: SAMPLE_PER_KIND });
  const candidates: Identifier[] = [];
  const drawn: Identifier[] = [];
  for (const row of reader.getRowObjectsJS()) {
    const kind = String(row.kind) as IdentifierKind;
    if (row.v === null) {
      summary.known[kind] = Number(row.known_count);
      summary.notDistinctive += Number(row.short_count);
    } else {
      candidates.push({ kind, value: String(row.v) });
      if (Number(row.rn) <= SAMPLE_PER_KIND) drawn.push({ kind, value: String(row.v) });
    }
  }
  // An identifier that is a substring of a kept value would be found by the byte search although nothing
  // individual remains; it cannot prove anything, so it is left out and counted.
  const sample = drawn.filter((id) => !keptText.some((kept) => kept.text.includes(id.value)));
  summary.occurInKeptData = drawn.length - sample.length;
  for (const id of sample) summary.searched[id.kind] = (summary.searched[id.kind] ?? 0) + 1;
  return { sample, candidates, summary };
}

/**
 * The sample is written hex-encoded, so that the file holding it contains none of the identifiers' bytes;
 * it is excluded from the byte search all the same, and deleted before the certificate is written.
 */
export function writeSample(file: string, sample: Identifier[]): void {
  const lines = sample.map((id) => `${id.kind}\t${Buffer.from(id.value, 'utf8').toString('hex')}`);
  writeFileDurably(file, lines.length ? `${lines.join('\n')}\n` : '');
}

export function readSample(file: string): Identifier[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [kind, hex] = line.split('\t');
      return { kind: kind as IdentifierKind, value: Buffer.from(hex, 'hex').toString('utf8') };
    });
}
