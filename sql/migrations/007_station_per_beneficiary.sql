-- A StationID is chosen by each beneficiary in its subsidy request (seed, "Les identifiants (StationID) sont
-- ceux ... que vous avez renseignés dans votre demande de prime"): two beneficiaries may both register `PDC1`.
-- A registered charge point is therefore identified by (user_id, station_id), an IRVE point by its European
-- id, and charge_points.station_id is no longer unique. DuckDB cannot drop a constraint, so the table is
-- rebuilt with the same columns and rows (cp_id kept: sessions refer to it). Registration UserIDs are stored in
-- lower case, as sessions store theirs (validate.ts), so that a registration in capitals still matches them.
create table charge_points_v7 (
    cp_id integer primary key,
    station_id varchar not null,            -- the id sessions carry (Advenir StationID or id_pdc_itinerance)
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

insert into charge_points_v7
select
    cp_id, station_id,
    case when source = 'advenir-registration' then lower(user_id) else user_id end,
    id_pdc_itinerance, commune_code, department_code, region_code, nominal_power_kw, in_service_date, source, updated_at
from charge_points;

drop table charge_points;
alter table charge_points_v7 rename to charge_points;

-- The lookup lists every (id, charge point) pair: an id may now name several beneficiaries' points. Sessions
-- with a UserID take their own beneficiary's (src/ingest/load/classify.sql.ts); records without one
-- that name an id of several beneficiaries are held (209).
drop view charge_point_lookup;
create view charge_point_lookup as
with keys as (
    select station_id as lookup_id, cp_id, 0 as priority from charge_points
    union all
    select id_pdc_itinerance, cp_id, 1 from charge_points
    where id_pdc_itinerance is not null and id_pdc_itinerance <> station_id
)
select k.lookup_id, k.priority, cp.cp_id, cp.user_id, cp.station_id, cp.nominal_power_kw, cp.region_code
from keys as k
join charge_points as cp using (cp_id);
