import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { hasShared, runCli, sharedDir, tempDir, type CliResult } from '../helpers/cli.js';
import { findIdentifiers, reportTexts, storeIdentifiers } from './leak-helpers.js';

/**
 * Issue 5, point 3: the real QualiCharge IRVE registry and sessions with the ODRÉ consumption-based carbon
 * series, through the real command. Needs ../shared (skipped in a fresh clone without it) and dist/ (pretest).
 */
const irve = path.join(sharedDir, 'data', 'fr-qualicharge-irve');
const odre = path.join(sharedDir, 'data', 'fr-co2-odre-hourly', 'odre-intensite-conso_2024-10_2025-02.csv');
const FILES = ['indicators.csv', 'indicators.parquet', 'load_profile.csv', 'load_profile.parquet', 'quality.csv', 'manifest.json'];

describe.skipIf(!hasShared || !fs.existsSync(irve))('pipeline run --month 2024-12 on the real IRVE data (needs ../shared/data)', () => {
  const root = tempDir('pipeline-irve-');
  const global = ['--data-dir', path.join(root, 'data'), '--reports-dir', path.join(root, 'reports')];
  const monthDir = path.join(root, 'reports', '2024-12');
  let run: CliResult;

  beforeAll(() => {
    for (const args of [
      ['registry', 'import', path.join(irve, 'irve-statique.json.gz')],
      ['carbon', 'import', odre],
      ['ingest', path.join(irve, 'irve-dynamique-sessions.json.gz')],
    ]) {
      const result = runCli([...args, ...global]);
      if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    }
    run = runCli(['run', '--month', '2024-12', ...global]);
  }, 300_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes every file and shows the national row in the closing note', () => {
    expect(run.stderr).not.toMatch(/error\[/);
    expect(run.status).toBe(0);
    for (const file of FILES) expect(fs.existsSync(path.join(monthDir, file))).toBe(true);
    expect(run.stdout).toMatch(/national row \(France\):/);
    expect(run.stdout).toMatch(/^\s+energy_kwh\s+\d+(\.\d+)?$/m);
    const manifest = JSON.parse(fs.readFileSync(path.join(monthDir, 'manifest.json'), 'utf8'));
    expect(manifest.carbon).toMatchObject({ kind: 'consumption', sources: ['ODRE'], missing_carbon_energy_pct: 0 });
    const lines = fs.readFileSync(path.join(monthDir, 'indicators.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 1 + 18); // header, nation, every region (overseas ones included)
    expect(lines[1]).toMatch(/^2024-12,national,FR,France,/);
  });

  it('leaks no identifier of the input', async () => {
    const store = await openStore(path.join(root, 'data'));
    try {
      const identifiers = await storeIdentifiers(store);
      expect(identifiers.length).toBeGreaterThan(29_000);
      for (const [file, text] of await reportTexts(store, monthDir)) {
        expect({ file, leaked: findIdentifiers(text, identifiers) }).toEqual({ file, leaked: [] });
      }
    } finally {
      store.close();
    }
  }, 120_000);

  it('gives byte-identical CSV and Parquet files on a second run', () => {
    const before = Object.fromEntries(FILES.map((file) => [file, fs.readFileSync(path.join(monthDir, file))]));
    const again = runCli(['run', '--month', '2024-12', ...global]);
    expect(again.status).toBe(0);
    for (const file of FILES.filter((f) => f !== 'manifest.json')) {
      expect({ file, same: fs.readFileSync(path.join(monthDir, file)).equals(before[file]) }).toEqual({ file, same: true });
    }
  }, 120_000);
});
