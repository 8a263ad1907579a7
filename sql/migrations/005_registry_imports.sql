-- Charge point registry imports (issue 3): a log of every import, the previous versions of the charge points
-- an import changed (a point that moved to another beneficiary keeps its past; sessions carry their own
-- user_id anyway), and one lookup of the ids a session may use to name a charge point.

create table registry_imports (
    import_id integer primary key,
    source_file varchar not null,
    source_sha256 varchar not null,
    format varchar not null,                -- irve-static | advenir-registration
    rows_read integer not null,
    rows_invalid integer not null,          -- no station id (or no UserID in a registration file)
    rows_duplicate integer not null,        -- same station id again in the file; the last row wins
    inserted integer not null,
    updated integer not null,
    unchanged integer not null,
    beneficiary_changes integer not null,   -- charge points whose user_id changed
    resolved integer not null,              -- charge points of the file with a region
    unresolved_points integer not null,     -- charge points whose commune code does not resolve
    unresolved_codes varchar not null,      -- JSON array of those commune codes (commune codes are not identifiers)
    no_commune integer not null,            -- charge points with no commune code at all
    imported_at timestamptz not null
);

-- The state of a charge point before an import changed it, valid over [valid_from, valid_to).
create table charge_point_history (
    cp_id integer not null,
    station_id varchar not null,
    user_id varchar,
    id_pdc_itinerance varchar,
    commune_code varchar,
    department_code varchar,
    region_code varchar,
    nominal_power_kw double,
    in_service_date date,
    source varchar not null,
    valid_from timestamptz not null,
    valid_to timestamptz not null,
    replaced_by_import_id integer not null
);

-- Every id a session may carry for a charge point: its station_id, and its id_pdc_itinerance when an Advenir
-- registration declared both (IRVE sessions name points by id_pdc_itinerance). A station_id always wins.
create view charge_point_lookup as
with keys as (
    select station_id as lookup_id, cp_id, 0 as priority from charge_points
    union all
    select id_pdc_itinerance, cp_id, 1 from charge_points
    where id_pdc_itinerance is not null and id_pdc_itinerance <> station_id
),
final as (
    select lookup_id, arg_min(cp_id, priority::bigint * 4294967296 + cp_id) as cp_id
    from keys
    group by lookup_id
)
select f.lookup_id, cp.cp_id, cp.user_id, cp.station_id, cp.nominal_power_kw, cp.region_code
from final f
join charge_points cp using (cp_id);
