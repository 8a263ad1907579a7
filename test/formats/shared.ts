import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared relative to the repository root; tests that need it skip when a fresh clone lacks it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const hasShared = fs.existsSync(path.join(sharedDir, 'data'));
export const fixturesDir = path.join(repoRoot, 'test', 'formats', 'fixtures');
export const sharedPath = (...parts: string[]) => path.join(sharedDir, ...parts);
