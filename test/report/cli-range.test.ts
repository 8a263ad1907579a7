import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir, type CliResult } from '../helpers/cli.js';

/**
 * `pipeline run --from --to` on the bundled sample (May 2024, with sessions running from the end of April and into June) with the default thresholds, then
 * `pipeline status`. Uses the real command (dist/, built by pretest).
 */
const inbox = path.join(repoRoot, 'data', 'inbox');

describe.skipIf(!fs.existsSync(inbox))('pipeline run --from/--to and status on the bundled sample', () => {
  const root = tempDir('pipeline-range-');
  const global = ['--data-dir', path.join(root, 'data'), '--reports-dir', path.join(root, 'reports')];
  let range: CliResult;

  beforeAll(() => {
    fs.cpSync(inbox, path.join(root, 'data', 'inbox'), { recursive: true });
    range = runCli(['run', '--from', '2024-03', '--to', '2024-04', '--json', ...global]);
  }, 300_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('computes the months with data and skips the others', () => {
    expect(range.stderr).not.toMatch(/error\[/);
    expect(range.status).toBe(0);
    const result = JSON.parse(range.stdout);
    expect(result.skipped).toEqual(['2024-03']);
    expect(result.months.map((m: { month: string }) => m.month)).toEqual(['2024-04']);
    expect(result.months[0].published.national).toMatchObject({ geo_code: 'FR' });
    expect(fs.existsSync(path.join(root, 'reports', '2024-03'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'reports', '2024-04', 'manifest.json'))).toBe(true);
  });

  it('shows the national row in the closing note, and status lists the month with its report', () => {
    const again = runCli(['run', '--month', '2024-05', ...global]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/national row \(France\):\n(\s+\w+\s+.*\n)+/);
    expect(again.stdout).toMatch(/^\s+carbon_g_per_kwh\s+\d+(\.\d+)?$/m);
    const status = runCli(['status', '--json', ...global]);
    expect(status.status).toBe(0);
    const may = JSON.parse(status.stdout).data.find((m: { month: string }) => m.month === '2024-05');
    expect(may).toMatchObject({ reportStale: false, reportGeneratedAt: expect.any(String) });
    expect(may.sessions).toBeGreaterThan(0);
  }, 300_000);
});
