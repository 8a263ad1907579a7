import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The robustness suite (issue 9): hostile inputs, SIGKILLs, load with faults, access, leaks. Kept out of `npm test`
 * (its files are *.spec.ts, the default config takes *.test.ts) and run by `npm run test:robustness`, which
 * `.ci/run` calls after `npm test`. Each spec writes its figures to test-artifacts/robustness/ for
 * `npm run reliability` (docs/reliability.md).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default defineConfig({
  root: repoRoot,
  test: {
    include: ['test/robustness/**/*.spec.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Specs spawn the real CLI and services: one file at a time keeps the 2-core machine's timings meaningful.
    fileParallelism: false,
  },
});
