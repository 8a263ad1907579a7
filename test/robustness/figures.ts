import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';
import type { Figures } from '../../src/bench/reliability-report.js';

/**
 * Each spec records what it measured in test-artifacts/robustness/<id>.json, so that `npm run reliability` rebuilds
 * docs/reliability.md from measured figures instead of a table typed by hand. The shape is the report's.
 */
export type { Figures };

export const figuresDir = path.join(repoRoot, 'test-artifacts', 'robustness');

export function recordFigures(id: string, figures: Figures): void {
  fs.mkdirSync(figuresDir, { recursive: true });
  fs.writeFileSync(path.join(figuresDir, `${id}.json`), `${JSON.stringify({ id, ...figures, recorded_at: new Date().toISOString() }, null, 2)}\n`);
}

/** Peak resident memory (VmHWM) of a live process, in MB; undefined when /proc is not there. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}
