import fs from 'node:fs';
import path from 'node:path';
import type { RunParams } from '../config/params.js';
import type { CarbonSeries } from '../indicators/carbon-kind.js';
import type { SuppressionReason } from '../privacy/primary.js';
import { readPackageVersion } from '../util/version.js';
import { sha256Hex } from '../util/hash.js';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestInput {
  month: string;
  runId: number;
  generatedAt: Date;
  params: RunParams;
  carbon: CarbonSeries;
  /** Null when the national cell is suppressed. */
  missingCarbonPct: number | null;
  inputFingerprint: string;
  rows: Record<string, number>;
  suppressedCells: Record<SuppressionReason, number>;
}

/**
 * manifest.json (issue 5): how the month's files were made: run time, product version, every parameter, the
 * carbon series used, a fingerprint of the input data, row counts, suppressed cells per reason (never the counts
 * of a suppressed cell, privacy.md) and the sha256 of every other file of the folder. Only `generated_at` and
 * `run_id` differ between two runs on the same inputs.
 */
export function writeManifest(dir: string, input: ManifestInput): string {
  const files = fs
    .readdirSync(dir)
    .filter((file) => file !== MANIFEST_FILE)
    .sort()
    .map((file) => {
      const contents = fs.readFileSync(path.join(dir, file));
      return { name: file, bytes: contents.length, sha256: sha256Hex(contents) };
    });
  const manifest = {
    product: 'advenir-pipeline',
    version: readPackageVersion(),
    month: input.month,
    run_id: input.runId,
    generated_at: input.generatedAt.toISOString(),
    parameters: input.params,
    carbon: {
      kind: input.carbon.kind,
      sources: input.carbon.sources,
      slots_in_month: input.carbon.slots,
      // A value of the national cell: withheld (null) when that cell is suppressed, as in quality.csv.
      missing_carbon_energy_pct: input.missingCarbonPct === null ? null : Math.round(input.missingCarbonPct * 1000) / 1000,
    },
    input_fingerprint: `sha256:${input.inputFingerprint}`,
    rows: input.rows,
    suppressed_cells: input.suppressedCells,
    files,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), text);
  return text;
}
