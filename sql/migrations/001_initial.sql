-- The store's first schema. Documented column by column in docs/schema.md.
-- Times are UNIX seconds (UTC) in BIGINT columns named *_s; the resampling works in integer seconds.
-- Big tables (sessions, curve_points) carry no index: idempotency is enforced by the single writer with
-- anti-joins inside each file's transaction, which is faster than ART indexes on millions of varchar keys.

create table ingest_batches (
    batch_id integer primary key,
    source_file varchar not null,
    source_sha256 varchar not null,
    route varchar not null,            -- advenir-file | webservice | ocpi-cdr | irve-sessions
    format varchar not null,
    received integer not null default 0,
    accepted integer not null default 0,
    duplicates integer not null default 0,
    rejected integer not null default 0,
    file_error_code integer,           -- 101 or 103 when nothing of the file was loaded
    loaded_at timestamptz not null
);

create table charge_points (
    cp_id integer primary key,
    station_id varchar not null unique,    -- the id sessions carry (Advenir StationID or id_pdc_itinerance)
    user_id varchar,                        -- current beneficiary (UserID; siren_amenageur for IRVE-only points)
    id_pdc_itinerance varchar,
    commune_code varchar,
    department_code varchar,
    region_code varchar,                    -- INSEE region code; null when the commune does not resolve
    nominal_power_kw double,
    in_service_date date,
    source varchar not null,                -- advenir-registration | irve-static
    updated_at timestamptz not null
);

create table sessions (
    session_id bigint not null,
    user_id varchar not null,
    station_id varchar not null,
    transaction_id varchar not null,
    cp_id integer not null,
    kind varchar not null,                  -- curve | operation
    start_s bigint not null,                -- first point / StartTransaction, UNIX seconds
    stop_s bigint not null,                 -- last point / StopTransaction
    start_value_wh bigint not null,
    stop_value_wh bigint not null,
    energy_wh bigint not null,              -- stop_value_wh - start_value_wh
    point_count integer not null,           -- curve points kept (2 for an operation)
    route varchar not null,
    batch_id integer not null
);

-- Curve points, inserted in (session_id, ts_s) order. Repeated identical points are dropped at ingest.
create table curve_points (
    session_id bigint not null,
    ts_s bigint not null,
    value_wh bigint not null
);

create table rejections (
    rejection_id bigint not null,
    batch_id integer,
    code integer not null,
    message varchar not null,
    user_id varchar,
    station_id varchar,
    transaction_id varchar,
    start_s bigint,
    stop_s bigint,
    raw_json varchar,
    source_file varchar,
    route varchar,
    held boolean not null default false,    -- refused only because the charge point is unknown; see ingest --retry
    resolved_batch_id integer,              -- batch that accepted a held session later
    rejected_at timestamptz not null
);

create table carbon_imports (
    import_id integer primary key,
    source_file varchar not null,
    source_sha256 varchar not null,
    source_name varchar not null,           -- e.g. 'RTE eCO2mix', 'ODRE', 'Electricity Maps'
    kind varchar not null,                  -- production | consumption | lifecycle
    first_slot_s bigint,
    last_slot_s bigint,
    slots integer not null,
    replaced_slots integer not null,
    gap_slots integer not null,
    imported_at timestamptz not null
);

create table carbon_slots (
    kind varchar not null,
    slot_s bigint not null,                 -- half-hour slot start, UNIX seconds on :00/:30
    g_per_kwh double not null,
    consumption_mw double,
    import_id integer not null,
    primary key (kind, slot_s)
);

create table runs (
    run_id integer primary key,
    month varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,                -- running | succeeded | failed
    params_json varchar,
    manifest_json varchar
);

-- Facts about the store itself, e.g. ('purged_at', ...).
create table store_meta (
    key varchar primary key,
    value varchar not null
);
