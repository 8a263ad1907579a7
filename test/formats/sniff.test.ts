import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffFile, sniffText } from '../../src/formats/sniff.js';
import { hasShared, sharedPath } from './shared.js';

describe('sniffText', () => {
  it.each([
    ['{"format": "advenir-landing", "sessions": []}', 'advenir-landing'],
    ['{"u": {"s": {"t": [{"timestamp": 1, "value": 2}]}}}', 'advenir-payload'],
    ['{"u": {"s": [{"t": {"StartTransaction": 1}}]}}', 'advenir-payload'],
    ['{"data": [{"id": "1", "start_date_time": "2024-01-01T00:00:00Z"}]}', 'ocpi-cdr'],
    ['{"energy": 1.2, "start": 1, "end": 2, "id_pdc_itinerance": "FRX"}\n', 'irve-sessions'],
    ['{"id_pdc_itinerance": "FRX", "code_insee_commune": "75056", "puissance_nominale": "22"}', 'registry-irve'],
    ['id_pdc_itinerance,code_insee_commune,puissance_nominale\nFRX,75056,22\n', 'registry-irve'],
    ['user_id,station_id,id_pdc_itinerance,code_insee_commune\nu,s,p,75056\n', 'registry-advenir'],
    ['\uFEFFuser_id,station_id\nu,s\n', 'registry-advenir'],
    ['datetime_utc,g_per_kwh\n2024-01-01T00:00:00Z,30\n', 'carbon'],
    ['Périmètre;Nature;Date;Heure;Date - Heure;Consommation (MW);Taux de CO2 (g/kWh)\n', 'carbon'],
    ['hello world', 'unknown'],
    ['{"a": 1}', 'unknown'],
  ])('%s → %s', (text, kind) => {
    expect(sniffText(text)).toBe(kind);
  });
});

describe('sniffFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sniff-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gunzips by magic bytes, whatever the name, and recognises Parquet', async () => {
    const gz = path.join(dir, 'registry.bin');
    fs.writeFileSync(gz, zlib.gzipSync('user_id,station_id\nu,s\n'));
    expect(await sniffFile(gz)).toBe('registry-advenir');
    const parquet = path.join(dir, 'x.parquet');
    fs.writeFileSync(parquet, Buffer.from('PAR1....PAR1'));
    expect(await sniffFile(parquet)).toBe('carbon');
  });

  it('reads only the head of a large gzip file', async () => {
    const big = path.join(dir, 'big.json.gz');
    const line = `${JSON.stringify({ energy: 1, start: 1, end: 2, id_pdc_itinerance: 'FRX' })}\n`;
    fs.writeFileSync(big, zlib.gzipSync(line.repeat(50_000)));
    expect(await sniffFile(big)).toBe('irve-sessions');
  });

  it.skipIf(!hasShared)('classifies every real file in ../shared (needs ../shared)', async () => {
    const expected: Record<string, string> = {
      'data/fr-qualicharge-irve/irve-statique.json.gz': 'registry-irve',
      'data/fr-qualicharge-irve/irve-dynamique-sessions.json.gz': 'irve-sessions',
      'data/fr-eco2mix-tr-15min-2021-12/eco2mix-national-tr_2021-12.csv': 'carbon',
      'data/fr-co2-odre-hourly/odre-intensite-conso_2024-10_2025-02.csv': 'carbon',
      'data/fr-co2-odre-hourly/part-enr-intensite-ges-conso-tr_2021-2026.parquet': 'carbon',
      'data/fr-co2-electricitymaps-hourly/FR_2023_hourly.csv': 'carbon',
      'fixtures/real-clients/captured_PUT_api_operation_put__courbes_site1.json': 'advenir-payload',
      'fixtures/real-clients/captured_PUT_api_operation_put__operations_site2.json': 'advenir-payload',
      'fixtures/real-clients/captured_POST_api_operation_put__bornerecharge_ts_client.json': 'advenir-payload',
      'fixtures/ocpi/cdrs/ocpi-spec-2.2.1_cdr_example.json': 'ocpi-cdr',
      'fixtures/ocpi/cdrs/izivia_ocpi-toolkit_all-fields_cdr.json': 'ocpi-cdr',
      'fixtures/ocpi/sessions/ocpi-spec-2.2.1_session_example_2_short_finished.json': 'ocpi-cdr',
    };
    for (const [file, kind] of Object.entries(expected)) expect([file, await sniffFile(sharedPath(file))]).toEqual([file, kind]);
  });
});
