import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/**
 * The newcomer's path (issue 2): the bundled sample month, imported and computed by the real command, twice.
 * Suppression is switched off here so that region energies must add up to the national row exactly;
 * the disclosure rules have their own tests.
 */
const NO_SUPPRESSION = ['--min-stations', '1', '--min-beneficiaries', '1', '--dominance-pct', '100'];

describe('pipeline run on the bundled sample month', () => {
  let dataDir: string;
  let reportsDir: string;
  let first: ReturnType<typeof runCli>;

  beforeAll(() => {
    const root = tempDir('e2e-');
    dataDir = path.join(root, 'data');
    reportsDir = path.join(root, 'reports');
    fs.cpSync(path.join(repoRoot, 'data', 'inbox'), path.join(dataDir, 'inbox'), { recursive: true });
    first = runCli(['run', '--month', '2024-05', '--json', ...NO_SUPPRESSION, '--data-dir', dataDir, '--reports-dir', reportsDir]);
  }, 300_000);

  it('exits 0 and writes indicators.csv with a national row and region rows that add up to it', () => {
    expect(first.stderr).not.toMatch(/error\[/);
    expect(first.status).toBe(0);
    const rows: Record<string, string>[] = parse(fs.readFileSync(path.join(reportsDir, '2024-05', 'indicators.csv')), { columns: true });
    const national = rows.filter((r) => r.geo_level === 'national');
    const regions = rows.filter((r) => r.geo_level === 'region');
    expect(national).toHaveLength(1);
    // Every region is a cell, the 5 overseas ones included (the sample has no charge point there).
    expect(regions.length).toBe(18);
    for (const column of ['month', 'geo_code', 'geo_name', 'sessions', 'stations', 'energy_kwh', 'carbon_g_per_kwh']) {
      expect(Object.keys(rows[0])).toContain(column);
    }
    const regionEnergy = regions.reduce((sum, r) => sum + Number(r.energy_kwh), 0);
    // Each value is rounded to 3 decimals: the sum may differ by the accumulated rounding only.
    expect(Math.abs(regionEnergy - Number(national[0].energy_kwh))).toBeLessThan(0.001 * regions.length);
    const regionSessions = regions.reduce((sum, r) => sum + Number(r.sessions), 0);
    expect(regionSessions).toBe(Number(national[0].sessions));
    expect(Number(national[0].energy_kwh)).toBeGreaterThan(50_000);
    const carbon = Number(national[0].carbon_g_per_kwh);
    expect(carbon).toBeGreaterThan(5);
    expect(carbon).toBeLessThan(80);
  });

  it('gives byte-identical reports on a second run, which imports nothing new', () => {
    // Every file but the manifest, whose generated_at is the run's time. The sample holds a session on an unknown
    // charge point: each run retries it, and quality.csv must not count it again.
    const files = ['indicators.csv', 'indicators.parquet', 'load_profile.csv', 'load_profile.parquet', 'quality.csv', 'report.html'];
    const read = () => files.map((file) => fs.readFileSync(path.join(reportsDir, '2024-05', file)));
    const before = read();
    const second = runCli(['run', '--month', '2024-05', '--json', ...NO_SUPPRESSION, '--data-dir', dataDir, '--reports-dir', reportsDir]);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout).imported.newFiles).toBe(0);
    const after = read();
    files.forEach((file, i) => expect(after[i].equals(before[i]), file).toBe(true));
  }, 300_000);

  it('refuses a month without data with a coded error and exit 1', () => {
    const result = runCli(['run', '--month', '2030-01', '--data-dir', dataDir, '--reports-dir', reportsDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error\[NO_DATA_FOR_MONTH\]/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);
});
