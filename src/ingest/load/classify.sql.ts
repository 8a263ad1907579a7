/**
 * The load-time rules, as SQL over the staged batch (stg_sessions) and the store. One outcome per staged session:
 *   209 the charge point is not in the registry, or a record without UserID names a StationID registered by
 *       several beneficiaries (held: `ingest --retry` loads it later),
 *   202 the same key (UserID, StationID, TransactionID) or the same (charge point, start, stop) is already in the
 *       store or earlier in the batch (protocol.md: platforms re-number sessions),
 *   208 the mean power exceeds the charge point's nominal power times the power tolerance, or MAX_PLAUSIBLE_KW,
 *   0   accepted, with its session_id (max + 1, ... inside the file's transaction; the store has one writer).
 * Records without UserID take the registry's beneficiary (issue 3; IRVE-only points: siren_amenageur).
 */

/**
 * Default ratio of mean power to nominal power above which a session is refused (208): 10 % over, for meter and
 * clock rounding on short sessions. `--power-tolerance 0` turns the rule off (e.g. for data whose charge point
 * links are known to be synthetic, like the QualiCharge test sessions).
 */
export const DEFAULT_POWER_TOLERANCE = 1.1;

/**
 * Whatever the registry says (or when it gives no power), a mean power above 1 MW is refused (208): no charge
 * point for cars delivers it (the IRVE static file's highest puissance_nominale is 500 kW); it is a unit error
 * such as kWh sent as Wh.
 */
export const MAX_PLAUSIBLE_KW = 1000;

export const CLASSIFY_SQL = `
create or replace temp table stg_outcome as
with cp_keys as (
    select cp_id, station_id as k, 0 as preference, user_id, nominal_power_kw, source from charge_points
    union all
    select cp_id, upper(replace(station_id, '*', '')), 1, user_id, nominal_power_kw, source from charge_points
    union all
    select cp_id, upper(replace(id_pdc_itinerance, '*', '')), 2, user_id, nominal_power_kw, source from charge_points
    where id_pdc_itinerance is not null
),
-- A session that names its beneficiary never takes another beneficiary's registered point: StationIDs are
-- chosen by each beneficiary (seed §3.2), so the same StationID of another UserID is another charge point, one
-- the registry does not know for this UserID (209, held), not this session's.
candidates as (
    select s.seq, s.user_id as session_user_id, c.cp_id, c.user_id, c.nominal_power_kw, c.preference, c.source
    from stg_sessions s
    join cp_keys c on c.k = s.station_id and c.preference = 0
    union all
    select s.seq, s.user_id, c.cp_id, c.user_id, c.nominal_power_kw, c.preference, c.source
    from stg_sessions s
    join cp_keys c on c.k = upper(replace(s.station_id, '*', '')) and c.preference > 0
),
own_candidates as (
    select * from candidates
    where session_user_id is null or source <> 'advenir-registration' or user_id = session_user_id
),
best as (
    select * from own_candidates
    qualify preference = min(preference) over (partition by seq)
),
-- A record without UserID (platform routes) names a point by its id alone: when that id is registered by
-- several beneficiaries (each chooses its StationIDs), the session cannot be attributed and is held (209).
matched as (
    -- The beneficiary and power of the chosen point itself (arg_min_null): arg_min would skip a NULL power and
    -- take another candidate's.
    select seq,
        min(cp_id) as cp_id,
        arg_min_null(user_id, cp_id) as registry_user_id,
        arg_min_null(nominal_power_kw, cp_id) as nominal_power_kw
    from best
    group by seq
    having any_value(session_user_id) is not null or count(distinct coalesce(user_id, '')) = 1
),
resolved as (
    select s.*, m.cp_id, m.nominal_power_kw,
        coalesce(s.user_id, m.registry_user_id) as beneficiary_id
    from stg_sessions s
    left join matched m using (seq)
),
known_keys as (
    select distinct r.seq
    from resolved r
    join sessions x
      on x.user_id = r.beneficiary_id and x.station_id = r.station_id and x.transaction_id = r.transaction_id
),
known_spans as (
    select distinct r.seq
    from resolved r
    join sessions x on x.cp_id = r.cp_id and x.start_s = r.start_s and x.stop_s = r.stop_s
),
screened as (
    select r.*,
        case
            when r.cp_id is null or r.beneficiary_id is null then 209
            when k.seq is not null or p.seq is not null then 202
            when (r.stop_value_wh - r.start_value_wh) * 3.6 / (r.stop_s - r.start_s) > ${MAX_PLAUSIBLE_KW}
                or ($powerTolerance > 0 and r.nominal_power_kw > 0
                    and (r.stop_value_wh - r.start_value_wh) * 3.6 / (r.stop_s - r.start_s) > r.nominal_power_kw * $powerTolerance)
                then 208
        end as refusal
    from resolved r
    left join known_keys k using (seq)
    left join known_spans p using (seq)
),
-- Copies within the batch: only those not refused compete, so that a copy refused 208 does not make its
-- corrected twin a 202 ("already recorded") while nothing of it is stored.
ranked as (
    select seq,
        row_number() over (partition by beneficiary_id, station_id, transaction_id order by seq) as key_rank,
        row_number() over (partition by cp_id, start_s, stop_s order by seq) as span_rank
    from screened
    where refusal is null
),
decided as (
    select s.*, coalesce(s.refusal, case when r.key_rank > 1 or r.span_rank > 1 then 202 else 0 end) as code
    from screened s
    left join ranked r using (seq)
),
base as (select coalesce(max(session_id), 0) as max_id from sessions)
select d.seq, d.code, d.beneficiary_id, d.cp_id,
    case when d.code = 0
        then base.max_id + row_number() over (partition by d.code = 0 order by d.seq)
    end as session_id
from decided d, base;
`;

export const INSERT_SESSIONS_SQL = `
insert into sessions
select o.session_id, o.beneficiary_id, s.station_id, s.transaction_id, o.cp_id, s.kind,
    s.start_s::bigint, s.stop_s::bigint, s.start_value_wh::bigint, s.stop_value_wh::bigint,
    (s.stop_value_wh - s.start_value_wh)::bigint, s.point_count, $route, $batchId,
    null -- max_power_wh_per_s: filled once the points are in (load-batch.ts)
from stg_outcome o
join stg_sessions s using (seq)
where o.code = 0
order by o.session_id;
`;
