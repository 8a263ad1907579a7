/**
 * The SQL of a registry import, step by step over temp tables (stg_registry_raw → stg_registry →
 * final_registry → charge_points). Values never come from string concatenation: the only varying parts are
 * chosen from constants here.
 */

/** Cleans staged text: 4-digit commune codes lost their leading zero in a spreadsheet; power in W is made kW. */
export function cleanSql(requireUserId: boolean): string {
  return `
    create or replace temp table stg_registry_valid as
    with cleaned as (
        select
            row_no,
            nullif(station_id, '') as station_id,
            -- Registration UserIDs in lower case, as sessions store theirs (IRVE sirens are digits).
            nullif(lower(user_id), '') as user_id,
            nullif(id_pdc_itinerance, '') as id_pdc_itinerance,
            case
                when regexp_full_match(commune_raw, '[0-9]{4}') then '0' || commune_raw
                else nullif(upper(commune_raw), '')
            end as commune_code,
            try_cast(replace(power_raw, ',', '.') as double) as power_value,
            coalesce(try_cast(date_raw as date), cast(try_strptime(date_raw, '%d/%m/%Y') as date)) as in_service_date,
        from stg_registry_raw
    )
    select * from cleaned
    where station_id is not null ${requireUserId ? 'and user_id is not null' : ''};

    -- The same charge point twice in one file: the last row wins (a later line corrects an earlier one). A
    -- registered point is a (UserID, StationID) pair: StationIDs are chosen per beneficiary.
    create or replace temp table stg_registry as
    select
        row_no, station_id, user_id, id_pdc_itinerance, commune_code,
        -- IRVE puissance_nominale is kW; no charge point delivers 1 MW, so larger values are W.
        case when power_value > 1000 then power_value / 1000 when power_value > 0 then power_value end as nominal_power_kw,
        in_service_date,
    from stg_registry_valid
    qualify row_number() over (partition by ${requireUserId ? 'user_id, ' : ''}station_id order by row_no desc) = 1;`;
}

/**
 * final_registry holds one row per charge point of the file with `cp_id`, the stored point it updates (null
 * for a new one): the identity is resolved once here, so that the changes apply by cp_id. One row per target.
 */
const ONE_ROW_PER_POINT = `qualify row_number() over (
        partition by coalesce(cp_id::varchar, 'new' || chr(0) || coalesce(user_id, '') || chr(0) || station_id) order by row_no) = 1`;

/**
 * IRVE static rows. A point already registered through Advenir (by station_id, or by id_pdc_itinerance)
 * keeps its registration's UserID and station_id, and gets the IRVE attributes it lacks; any other point's
 * beneficiary is its owner, siren_amenageur (issue 3).
 */
export const IRVE_FINAL_SQL = `
    create or replace temp table final_registry as
    with registrations as (
        select * from charge_points where source = 'advenir-registration'
    ),
    links as (
        -- The registration naming this IRVE point, by station_id first, then by id_pdc_itinerance (lowest cp_id
        -- among several beneficiaries naming one European id).
        select s.row_no,
            arg_min(r.cp_id, (case when r.station_id = s.station_id then 0 else 1 end)::bigint * 4294967296 + r.cp_id) as cp_id
        from stg_registry as s
        join registrations as r on r.station_id = s.station_id or r.id_pdc_itinerance = s.station_id
        group by s.row_no
    ),
    irve_points as (
        select cp_id, station_id from charge_points where source = 'irve-static'
    ),
    merged as (
        select
            coalesce(r.cp_id, i.cp_id) as cp_id,
            coalesce(r.station_id, s.station_id) as station_id,
            coalesce(r.user_id, s.user_id) as user_id,
            coalesce(r.id_pdc_itinerance, s.station_id) as id_pdc_itinerance,
            coalesce(r.commune_code, s.commune_code) as commune_code,
            coalesce(r.nominal_power_kw, s.nominal_power_kw) as nominal_power_kw,
            coalesce(r.in_service_date, s.in_service_date) as in_service_date,
            case when r.cp_id is null then 'irve-static' else 'advenir-registration' end as source,
            s.row_no,
            r.cp_id is not null as linked,
        from stg_registry as s
        left join links as l using (row_no)
        left join registrations as r on r.cp_id = l.cp_id
        left join irve_points as i on i.station_id = s.station_id
    )
    select * from merged
    ${ONE_ROW_PER_POINT};`;

/**
 * Keeps in charge_point_history the current version of the charge points `selection` picks (a join, and a
 * filter, on `charge_points as cp`), before an import changes them; `$import_id` is the changing import.
 */
function keepHistorySql(selection: string): string {
  return `
    insert into charge_point_history
    select
        cp.cp_id, cp.station_id, cp.user_id, cp.id_pdc_itinerance, cp.commune_code, cp.department_code,
        cp.region_code, cp.nominal_power_kw, cp.in_service_date, cp.source, cp.updated_at, now(), $import_id,
    from charge_points as cp
    ${selection}`;
}

/**
 * An Advenir registration naming by id_pdc_itinerance a point the IRVE static file brought first: the IRVE row
 * takes the registration's station_id (its previous version goes to history), so that one physical point stays
 * one charge point, whatever the order of the imports; sessions already stored on it keep their cp_id.
 * ADVENIR_FINAL_SQL then updates it as the registered point. Not when the registration's station_id is already
 * a charge point of this beneficiary (that older link stays two rows: docs/known-limitations.md).
 */
export const ADOPT_IRVE_POINTS_SQL = [
  `
    create or replace temp table stg_adopted_irve as
    select irve.cp_id, s.station_id
    from stg_registry as s
    join charge_points as irve
        on irve.source = 'irve-static' and irve.station_id = s.id_pdc_itinerance and irve.station_id <> s.station_id
    -- Not when the registration is already a point: its own (UserID, StationID), or an IRVE point of that id.
    where not exists (
        select 1 from charge_points as cp
        where cp.station_id = s.station_id and (cp.source = 'irve-static' or cp.user_id = s.user_id))
    qualify row_number() over (partition by irve.cp_id order by s.row_no) = 1`,
  keepHistorySql('join stg_adopted_irve as a using (cp_id)'),
  `
    update charge_points as cp
    set station_id = a.station_id, id_pdc_itinerance = coalesce(cp.id_pdc_itinerance, cp.station_id), updated_at = now()
    from stg_adopted_irve as a
    where cp.cp_id = a.cp_id`,
];

/**
 * Advenir registration rows: the UserID of the file is the beneficiary. Attributes the file leaves empty keep
 * their stored value, or come from the IRVE point it names by id_pdc_itinerance; that IRVE point itself is
 * linked to the registration's UserID, so IRVE sessions naming it find the right beneficiary.
 */
export const ADVENIR_FINAL_SQL = `
    create or replace temp table final_registry as
    with own_points as (
        -- The point a registration row updates: this beneficiary's point of that StationID, else the IRVE point
        -- of that id, which the registration takes over. Another beneficiary's point of the same StationID is
        -- another charge point (StationIDs are chosen per beneficiary).
        select s.row_no,
            arg_min(cp.cp_id, (case when cp.source = 'advenir-registration' then 0 else 1 end)::bigint * 4294967296 + cp.cp_id) as cp_id
        from stg_registry as s
        join charge_points as cp
            on cp.station_id = s.station_id and (cp.source = 'irve-static' or cp.user_id = s.user_id)
        group by s.row_no
    ),
    irve_points as (
        select * from charge_points where source = 'irve-static'
    ),
    merged as (
        select
            o.cp_id,
            s.station_id,
            s.user_id,
            coalesce(s.id_pdc_itinerance, cp.id_pdc_itinerance) as id_pdc_itinerance,
            coalesce(s.commune_code, cp.commune_code, irve.commune_code) as commune_code,
            coalesce(s.nominal_power_kw, cp.nominal_power_kw, irve.nominal_power_kw) as nominal_power_kw,
            coalesce(s.in_service_date, cp.in_service_date, irve.in_service_date) as in_service_date,
            'advenir-registration' as source,
            s.row_no,
            -- Linked to an IRVE point: one named by id_pdc_itinerance, or one just adopted (ADOPT_IRVE_POINTS_SQL).
            irve.station_id is not null or cp.source = 'irve-static' as linked,
        from stg_registry as s
        left join own_points as o using (row_no)
        left join charge_points as cp on cp.cp_id = o.cp_id
        left join irve_points as irve on irve.station_id = s.id_pdc_itinerance and irve.station_id <> s.station_id
    ),
    relinked as (
        select
            irve.cp_id, irve.station_id, s.user_id, irve.id_pdc_itinerance, irve.commune_code, irve.nominal_power_kw,
            irve.in_service_date, irve.source, s.row_no, true as linked,
        from stg_registry as s
        join irve_points as irve on irve.station_id = s.id_pdc_itinerance and irve.station_id <> s.station_id
        where irve.station_id not in (select station_id from stg_registry)
    )
    select * from (select * from merged union all by name select * from relinked)
    ${ONE_ROW_PER_POINT};`;

export const GEOGRAPHY_SQL = `
    create or replace temp table final_geo as
    select f.*, g.department_code, g.region_code
    from final_registry as f
    left join geo_communes as g using (commune_code);`;

const CHANGED = ['user_id', 'id_pdc_itinerance', 'commune_code', 'department_code', 'region_code', 'nominal_power_kw', 'in_service_date', 'source']
  .map((column) => `cp.${column} is distinct from f.${column}`)
  .join(' or ');

export const COUNT_CHANGES_SQL = `
    select
        count(*) filter (where ${CHANGED}) as updated,
        count(*) filter (where not (${CHANGED})) as unchanged,
        count(*) filter (where cp.user_id is distinct from f.user_id) as beneficiary_changes,
    from final_geo as f
    join charge_points as cp using (cp_id);`;

/** Keeps the previous version of every point this import changes, then updates and inserts. */
export const APPLY_SQL = [
  keepHistorySql(`join final_geo as f using (cp_id) where ${CHANGED}`),
  `
    update charge_points as cp
    set user_id = f.user_id, id_pdc_itinerance = f.id_pdc_itinerance, commune_code = f.commune_code,
        department_code = f.department_code, region_code = f.region_code, nominal_power_kw = f.nominal_power_kw,
        in_service_date = f.in_service_date, source = f.source, updated_at = now()
    from final_geo as f
    where cp.cp_id = f.cp_id and (${CHANGED})`,
  `
    insert into charge_points (
        cp_id, station_id, user_id, id_pdc_itinerance, commune_code, department_code, region_code,
        nominal_power_kw, in_service_date, source, updated_at
    )
    select
        (select coalesce(max(cp_id), 0) from charge_points) + row_number() over (order by f.station_id, f.user_id),
        f.station_id, f.user_id, f.id_pdc_itinerance, f.commune_code, f.department_code, f.region_code,
        f.nominal_power_kw, f.in_service_date, f.source, now(),
    from final_geo as f
    where f.cp_id is null`,
];
