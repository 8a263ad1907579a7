import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/database.js';
import { MANIFEST_FILE } from './manifest.js';

/** One month in `pipeline status`: does the store have data, is there a report, is the report older than the data. */
export interface MonthStatus {
  month: string;
  sessions: number;
  /** Last time data the month depends on was loaded (sessions, carbon slots, registry), ISO UTC. */
  dataUpdatedAt: string | null;
  reportGeneratedAt: string | null;
  reportStale: boolean;
}

const DATA_MONTHS_SQL = `
  with
  session_months as (
      select strftime(timezone('Europe/Paris', to_timestamp(s)), '%Y-%m') as month, batch_id, counted
      from (
          select start_s as s, batch_id, 1 as counted from sessions
          union all
          select stop_s - 1, batch_id, 0 from sessions
      )
  ),
  carbon_months as (
      select strftime(timezone('Europe/Paris', to_timestamp(slot_s)), '%Y-%m') as month, max(i.imported_at) as loaded_at
      from carbon_slots join carbon_imports as i using (import_id)
      group by all
  ),
  by_month as (
      select m.month, sum(m.counted) as sessions, max(b.loaded_at) as loaded_at
      from session_months as m left join ingest_batches as b using (batch_id)
      group by all
  )
  select
      by_month.month,
      by_month.sessions,
      epoch_ms(greatest(by_month.loaded_at, carbon_months.loaded_at, (select max(updated_at) from charge_points))) as updated_ms
  from by_month left join carbon_months using (month)
  order by by_month.month`;

/**
 * Months with data (a session starting or ending in them, Europe/Paris) and months with a report folder;
 * a report is stale when anything it depends on was loaded after it was generated.
 */
export async function monthStatuses(store: Store, reportsDir: string): Promise<MonthStatus[]> {
  const reader = await store.connection.runAndReadAll(DATA_MONTHS_SQL);
  const months = new Map<string, MonthStatus>();
  for (const row of reader.getRowObjectsJS()) {
    const updated = row.updated_ms === null ? null : new Date(Number(row.updated_ms)).toISOString();
    months.set(String(row.month), { month: String(row.month), sessions: Number(row.sessions), dataUpdatedAt: updated, reportGeneratedAt: null, reportStale: false });
  }
  for (const [month, generatedAt] of reportedMonths(reportsDir)) {
    const status = months.get(month) ?? { month, sessions: 0, dataUpdatedAt: null, reportGeneratedAt: null, reportStale: false };
    status.reportGeneratedAt = generatedAt;
    status.reportStale = status.dataUpdatedAt !== null && generatedAt !== null && status.dataUpdatedAt > generatedAt;
    months.set(month, status);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

function reportedMonths(reportsDir: string): Array<[string, string | null]> {
  if (!fs.existsSync(reportsDir)) return [];
  return fs
    .readdirSync(reportsDir)
    .filter((entry) => /^\d{4}-\d{2}$/.test(entry))
    .map((month): [string, string | null] => {
      try {
        const manifest = JSON.parse(fs.readFileSync(path.join(reportsDir, month, MANIFEST_FILE), 'utf8'));
        return [month, typeof manifest.generated_at === 'string' ? manifest.generated_at : null];
      } catch {
        return [month, null]; // a folder without a readable manifest: reported, time unknown
      }
    });
}

/** Terminal lines: `2024-05  12345 sessions  report 2024-06-02T08:00:00Z (older than the data)`. */
export function formatMonthStatuses(statuses: MonthStatus[]): string[] {
  return statuses.map((s) => {
    const report = s.reportGeneratedAt ? `report ${s.reportGeneratedAt}${s.reportStale ? ' (older than the data: rerun)' : ''}` : 'no report';
    return `  ${s.month}  ${String(s.sessions).padStart(9)} session(s)  ${report}`;
  });
}
