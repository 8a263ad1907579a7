import type { Store } from '../store/database.js';
import type { MonthRange } from '../util/month.js';

/**
 * `pipeline rejections`: the refused sessions kept in the store (issue 3: "nothing is lost"), filtered by the
 * month their start falls in (Europe/Paris month bounds, as everywhere) and by code. Held sessions that a retry
 * resolved are listed with the batch that resolved them.
 */
export interface RejectionRow {
  rejection_id: number;
  code: number;
  message: string;
  user_id: string | null;
  station_id: string | null;
  transaction_id: string | null;
  start_s: number | null;
  stop_s: number | null;
  source_file: string | null;
  route: string | null;
  held: boolean;
  resolved_batch_id: number | null;
  raw_json: string | null;
}

export interface RejectionFilter {
  month?: MonthRange;
  code?: number;
  limit: number;
}

export interface RejectionListing {
  total: number;
  by_code: Record<string, number>;
  rejections: RejectionRow[];
}

const WHERE = `
    where ($code is null or code = $code)
      and ($start is null or (start_s >= $start and start_s < $end))`;

export async function listRejections(store: Store, filter: RejectionFilter): Promise<RejectionListing> {
  const params = {
    code: filter.code ?? null,
    start: filter.month?.startS ?? null,
    end: filter.month?.endS ?? null,
  };
  const counts = await store.connection.runAndReadAll(`select code, count(*) as n from rejections ${WHERE} group by code order by code`, params);
  const byCode: Record<string, number> = {};
  let total = 0;
  for (const row of counts.getRowObjectsJS()) {
    byCode[String(row.code)] = Number(row.n);
    total += Number(row.n);
  }
  const reader = await store.connection.runAndReadAll(
    `select rejection_id, code, message, user_id, station_id, transaction_id, start_s, stop_s, source_file, route, held,
        resolved_batch_id, raw_json
     from rejections ${WHERE}
     order by rejection_id
     limit $limit`,
    { ...params, limit: filter.limit },
  );
  const rejections = reader.getRowObjectsJS().map((row) => ({
    rejection_id: Number(row.rejection_id),
    code: Number(row.code),
    message: String(row.message),
    user_id: nullableString(row.user_id),
    station_id: nullableString(row.station_id),
    transaction_id: nullableString(row.transaction_id),
    start_s: row.start_s === null ? null : Number(row.start_s),
    stop_s: row.stop_s === null ? null : Number(row.stop_s),
    source_file: nullableString(row.source_file),
    route: nullableString(row.route),
    held: Boolean(row.held),
    resolved_batch_id: row.resolved_batch_id === null ? null : Number(row.resolved_batch_id),
    raw_json: nullableString(row.raw_json),
  }));
  return { total, by_code: byCode, rejections };
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
