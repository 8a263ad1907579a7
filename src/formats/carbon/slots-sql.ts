import { SLOT_SECONDS } from '../../util/month.js';

/**
 * Half-hour slots from the staged points (indicators.md, "Carbon"): a point covers [ts, ts + step). A finer
 * series is averaged over the quarters of a slot, weighted by consumption when every quarter has one; an
 * hourly series gives both half-hours its value. `step_s` is measured by us, never read from input text.
 */
export function slotsSql(stepS: number): string {
  if (!Number.isInteger(stepS) || stepS <= 0) throw new Error(`invalid step ${stepS}`);
  const coverS = Math.max(stepS, SLOT_SECONDS);
  return `
    create or replace temp table stg_carbon_slots as
    with points as (
        select * from stg_carbon_points
        where ts_s is not null and g_per_kwh is not null and isfinite(g_per_kwh) and g_per_kwh >= 0
          and kind in ('production', 'consumption', 'lifecycle')
          and ($kind is null or kind = $kind)
    ),
    expanded as (
        select p.kind, (p.ts_s // ${SLOT_SECONDS}) * ${SLOT_SECONDS} + t.offset_s as slot_s, p.g_per_kwh, p.consumption_mw
        from points as p
        cross join range(0, ${coverS}, ${SLOT_SECONDS}) as t(offset_s)
    ),
    final as (
        select
            kind,
            slot_s,
            case
                when count(consumption_mw) = count(*) and sum(consumption_mw) > 0
                    then sum(g_per_kwh * consumption_mw) / sum(consumption_mw)
                else avg(g_per_kwh)
            end as g_per_kwh,
            avg(consumption_mw) as consumption_mw,
        from expanded
        group by kind, slot_s
    )
    select * from final`;
}

type Values = Record<string, string | number | null>;

/** The log row, then the slots: an overlapping period replaces the slots it covers (counted beforehand). */
export function writeKindSql(): { sql: string; params: (v: Values) => Values }[] {
  return [
    {
      sql: `insert into carbon_imports values ($import_id, $source_file, $sha256, $source_name, $kind, $first_s, $last_s, $slots, $replaced, $gap_slots, now())`,
      params: (v) => ({
        import_id: v.import_id, source_file: v.source_file, sha256: v.sha256, source_name: v.source_name, kind: v.kind,
        first_s: v.first_s, last_s: v.last_s, slots: v.slots, replaced: v.replaced, gap_slots: v.gap_slots,
      }),
    },
    {
      sql: `insert into carbon_slots (kind, slot_s, g_per_kwh, consumption_mw, import_id)
            select kind, slot_s, g_per_kwh, consumption_mw, $import_id from stg_carbon_slots where kind = $kind
            on conflict (kind, slot_s) do update
            set g_per_kwh = excluded.g_per_kwh, import_id = excluded.import_id,
                -- A series without consumption keeps the slot's known national consumption (the top-N ranking's).
                consumption_mw = coalesce(excluded.consumption_mw, carbon_slots.consumption_mw)`,
      params: (v) => ({ import_id: v.import_id, kind: v.kind }),
    },
  ];
}
