import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fixturesDir } from './shared.js';

/** The thin commands over src/formats, through the real binary (dist/, built by `pretest`). */
describe('pipeline registry import / carbon import', () => {
  const dir = tempDir('formats-cli-');
  const dataDir = path.join(dir, 'data');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('registry import prints a JSON summary and warns about unresolved communes on stderr', () => {
    const result = runCli(['registry', 'import', path.join(fixturesDir, 'registry-advenir.csv'), '--json', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 10, resolved: 8, unresolved: { communeCodes: ['44160'] } });
    expect(result.stderr).toMatch(/^warning: 1 charge point\(s\) have a commune code that does not resolve \(44160\)/m);
    // No identifier in the text output: counts only.
    const text = runCli(['registry', 'import', path.join(fixturesDir, 'registry-advenir.csv'), '--data-dir', dataDir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/unchanged 10/);
    expect(text.stdout).not.toMatch(/a6d0e6cf|ST-PARIS/);
  });

  it('carbon import reports slots and gaps; a --kind the source does not give is a usage error', () => {
    const file = path.join(fixturesDir, 'carbon-generic-15min.csv');
    const result = runCli(['carbon', 'import', file, '--json', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).series[0]).toMatchObject({ kind: 'consumption', slots: 4, gapSlots: 2 });
    expect(result.stderr).toMatch(/2 half-hour slot\(s\) missing/);
    const eco = path.join(dir, 'eco.csv');
    fs.writeFileSync(eco, 'Date - Heure;Taux de CO2 (g/kWh)\n2021-12-11T10:00:00+01:00;73\n');
    const usage = runCli(['carbon', 'import', eco, '--kind', 'lifecycle', '--data-dir', dataDir]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^error\[USAGE\]/m);
    const missing = runCli(['carbon', 'import', path.join(dir, 'nope.csv'), '--data-dir', dataDir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error\[FILE_NOT_FOUND\]/m);
  });
});
