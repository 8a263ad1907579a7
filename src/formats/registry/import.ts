import path from 'node:path';
import type { Store } from '../../store/database.js';
import { inTransaction } from '../../store/database.js';
import { assertReadable } from '../read-input.js';
import { sha256File } from '../../util/hash.js';
import { createCommuneGeography } from './geography.js';
import { writeRegistryPowers } from '../../serve/registry-powers.js';
import { stageRegistryFile, type RegistryFormat } from './stage.js';
import { ADOPT_IRVE_POINTS_SQL, ADVENIR_FINAL_SQL, APPLY_SQL, COUNT_CHANGES_SQL, GEOGRAPHY_SQL, IRVE_FINAL_SQL, cleanSql } from './merge-sql.js';

export interface RegistryImportSummary {
  importId: number;
  file: string;
  format: RegistryFormat;
  rows: number;
  invalidRows: number;
  duplicateRows: number;
  chargePoints: number;
  inserted: number;
  updated: number;
  unchanged: number;
  beneficiaryChanges: number;
  /** Points of the file tied to an Advenir registration (by station_id or id_pdc_itinerance). */
  linkedToRegistration: number;
  /** Points of the file with a region. */
  resolved: number;
  /** Points whose commune code does not resolve: counted nationally, in no region. Codes are not identifiers. */
  unresolved: { chargePoints: number; communeCodes: string[] };
  noCommune: number;
}

/**
 * `pipeline registry import <file>`: upserts charge points from an IRVE static file or an Advenir registration
 * CSV, in one transaction (all of the file or nothing), with a log row and the previous version of every
 * changed point kept in charge_point_history. Then refreshes the web service's snapshot of nominal powers.
 */
export async function importRegistryFile(store: Store, filePath: string): Promise<RegistryImportSummary> {
  const summary = await importInTransaction(store, filePath);
  // The web service's view of the nominal powers (answer-time 208), once the import is committed.
  await writeRegistryPowers(store);
  return summary;
}

async function importInTransaction(store: Store, filePath: string): Promise<RegistryImportSummary> {
  assertReadable(filePath);
  const sha256 = sha256File(filePath);
  const connection = store.connection;
  return inTransaction(connection, async () => {
    const format = await stageRegistryFile(connection, filePath);
    await createCommuneGeography(connection);
    await connection.run(cleanSql(format === 'advenir-registration'));
    const importId = (await one(connection, 'select coalesce(max(import_id), 0) + 1 as id from registry_imports')).id;
    if (format === 'advenir-registration') await runImportStatements(connection, ADOPT_IRVE_POINTS_SQL, importId);
    await connection.run(format === 'irve-static' ? IRVE_FINAL_SQL : ADVENIR_FINAL_SQL);
    await connection.run(GEOGRAPHY_SQL);
    const counts = await one(
      connection,
      `select
          (select count(*) from stg_registry_raw) as rows_read,
          (select count(*) from stg_registry_valid) as rows_valid,
          (select count(*) from stg_registry) as rows_kept,
          (select count(*) from final_geo) as points,
          (select count(*) filter (where linked) from final_geo) as linked,
          (select count(*) filter (where region_code is not null) from final_geo) as resolved,
          (select count(*) filter (where commune_code is not null and region_code is null) from final_geo) as unresolved,
          (select count(*) filter (where commune_code is null) from final_geo) as no_commune`,
    );
    const codesReader = await connection.runAndReadAll(
      `select distinct commune_code from final_geo where commune_code is not null and region_code is null order by 1`,
    );
    const communeCodes = codesReader.getRowObjectsJS().map((row) => String(row.commune_code));
    const changes = await one(connection, COUNT_CHANGES_SQL);
    await runImportStatements(connection, APPLY_SQL, importId);
    const summary: RegistryImportSummary = {
      importId,
      file: path.basename(filePath),
      format,
      rows: counts.rows_read,
      invalidRows: counts.rows_read - counts.rows_valid,
      duplicateRows: counts.rows_valid - counts.rows_kept,
      chargePoints: counts.points,
      inserted: counts.points - changes.updated - changes.unchanged,
      updated: changes.updated,
      unchanged: changes.unchanged,
      beneficiaryChanges: changes.beneficiary_changes,
      linkedToRegistration: counts.linked,
      resolved: counts.resolved,
      unresolved: { chargePoints: counts.unresolved, communeCodes },
      noCommune: counts.no_commune,
    };
    await logImport(store, filePath, sha256, summary);
    return summary;
  });
}

/** Runs statements in order; those that record history get the import's id as `$import_id`. */
async function runImportStatements(connection: Store['connection'], statements: readonly string[], importId: number): Promise<void> {
  for (const statement of statements) {
    await connection.run(statement, statement.includes('$import_id') ? { import_id: importId } : undefined);
  }
}

async function one(connection: Store['connection'], sql: string): Promise<Record<string, number>> {
  const row = (await connection.runAndReadAll(sql)).getRowObjectsJS()[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)]));
}

async function logImport(store: Store, filePath: string, sha256: string, s: RegistryImportSummary): Promise<void> {
  await store.connection.run(
    `insert into registry_imports values (
        $import_id, $source_file, $sha256, $format, $rows_read, $rows_invalid, $rows_duplicate, $inserted, $updated,
        $unchanged, $beneficiary_changes, $resolved, $unresolved_points, $unresolved_codes, $no_commune, now())`,
    {
      import_id: s.importId,
      source_file: path.resolve(filePath),
      sha256,
      format: s.format,
      rows_read: s.rows,
      rows_invalid: s.invalidRows,
      rows_duplicate: s.duplicateRows,
      inserted: s.inserted,
      updated: s.updated,
      unchanged: s.unchanged,
      beneficiary_changes: s.beneficiaryChanges,
      resolved: s.resolved,
      unresolved_points: s.unresolved.chargePoints,
      unresolved_codes: JSON.stringify(s.unresolved.communeCodes),
      no_commune: s.noCommune,
    },
  );
}
