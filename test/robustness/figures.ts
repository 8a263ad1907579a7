import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

/**
 * Figures a robustness spec measured (inputs tried, faults injected, sessions acknowledged and stored), written to
 * test-artifacts/robustness/<id>.json so that `npm run reliability` can rebuild docs/reliability.md from them
 * instead of a table typed by hand.
 */
export interface Figures {
  /** Row of the table: what is tested. */
  check: string;
  /** Point of issue 9 (1 hostile payloads ... 5 leaks). */
  point: number;
  inputs_tried?: number;
  faults_injected?: number;
  sessions_sent?: number;
  sessions_acknowledged?: number;
  sessions_stored?: number;
  /** Free-form measured numbers (peak RSS, durations...), shown as "key value" in the table. */
  measures?: Record<string, number | string>;
  /** Outcome observed for each named input of the hand-written corpus (the appendix of docs/reliability.md). */
  outcomes?: Record<string, string>;
}

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
