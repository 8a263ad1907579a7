import { createRequire } from 'node:module';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../store/quote.js';

const require = createRequire(import.meta.url);

/** communes.json of the pinned @etalab/decoupage-administratif (INSEE official geography). */
export function communesJsonPath(): string {
  return require.resolve('@etalab/decoupage-administratif/data/communes.json');
}

/**
 * Creates the temp table `geo_communes(commune_code, department_code, region_code)`.
 * A current commune (commune-actuelle) gives its own department and region. A delegated or associated
 * commune (commune-deleguee / -associee) takes those of its chef-lieu, and a municipal arrondissement
 * (Paris 751xx, Lyon 6938x, Marseille 132xx) those of its commune; the current commune wins when a code
 * is both (a commune nouvelle keeps its former code as a delegated commune).
 */
export async function createCommuneGeography(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    create or replace temp table geo_communes as
    with source as (
        select * from read_json(${quoteLiteral(communesJsonPath())}, format = 'array', columns = {
            code: 'VARCHAR', type: 'VARCHAR', departement: 'VARCHAR', region: 'VARCHAR',
            chefLieu: 'VARCHAR', commune: 'VARCHAR'
        })
    ),
    current_communes as (
        select code, departement, region from source where type = 'commune-actuelle'
    ),
    candidates as (
        select code, departement, region, 0 as priority from current_communes
        union all
        select s.code, coalesce(parent.departement, s.departement), coalesce(parent.region, s.region), 1
        from source as s
        left join current_communes as parent on parent.code = coalesce(s.commune, s.chefLieu)
        where s.type <> 'commune-actuelle'
    ),
    final as (
        select
            code as commune_code,
            arg_min(departement, priority) as department_code,
            arg_min(region, priority) as region_code,
        from candidates
        group by code
    )
    select * from final`);
}
