import { isParquet, readInputHead } from './read-input.js';

/**
 * What a file holds, decided from its first few KB only (so a multi-GB file is never read to be routed).
 * The content decides, not the name: operators rename files freely.
 */
export type FileKind =
  | 'advenir-payload'
  | 'advenir-landing'
  | 'ocpi-cdr'
  | 'irve-sessions'
  | 'registry-advenir'
  | 'registry-irve'
  | 'carbon'
  | 'unknown';

export const SNIFF_BYTES = 8192;

export async function sniffFile(filePath: string): Promise<FileKind> {
  const head = await readInputHead(filePath, SNIFF_BYTES);
  // Only carbon series come as Parquet (ODRÉ's cache); a registry or sessions Parquet is not a supported input.
  if (isParquet(head)) return 'carbon';
  return sniffText(head.toString('utf8'));
}

/** Classifies the beginning of a text file; exported for tests. */
export function sniffText(text: string): FileKind {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return sniffJson(head);
  return sniffCsv(head);
}

const hasKey = (text: string, key: string) => new RegExp(`"${key}"\\s*:`).test(text);

function sniffJson(head: string): FileKind {
  if (/"format"\s*:\s*"advenir-landing"/.test(head)) return 'advenir-landing';
  // OCPI CDRs and Sessions (mod_cdrs / mod_sessions), bare or inside the {"data": [...]} response envelope.
  if (['cdr_location', 'charging_periods', 'total_energy', 'start_date_time', 'kwh'].some((key) => hasKey(head, key))) {
    return 'ocpi-cdr';
  }
  if (hasKey(head, 'id_pdc_itinerance')) {
    // The static schema always has the commune and the power; dynamic sessions have start/end/energy.
    if (hasKey(head, 'code_insee_commune') || hasKey(head, 'puissance_nominale')) return 'registry-irve';
    if (hasKey(head, 'start') || hasKey(head, 'energy')) return 'irve-sessions';
  }
  // Advenir payloads nest UserID → StationID → TransactionID → curve points or an operation.
  if (['StartTransaction', 'StopTransaction', 'timestamp'].some((key) => hasKey(head, key))) return 'advenir-payload';
  return 'unknown';
}

function sniffCsv(head: string): FileKind {
  const header = (head.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  if (/taux de co2|intensite_emissions_conso|carbon intensity|g_per_kwh/.test(header)) return 'carbon';
  const columns = header.split(/[,;\t]/).map((column) => column.trim().replace(/^"|"$/g, ''));
  // The registration CSV may carry id_pdc_itinerance and code_insee_commune too: its first two columns decide.
  if (columns[0] === 'user_id' && columns[1] === 'station_id') return 'registry-advenir';
  if (columns.includes('id_pdc_itinerance') && columns.includes('code_insee_commune')) return 'registry-irve';
  return 'unknown';
}
