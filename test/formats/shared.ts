import path from 'node:path';
import { repoRoot, sharedDir } from '../helpers/cli.js';

export { hasShared, repoRoot, sharedDir } from '../helpers/cli.js';
export const fixturesDir = path.join(repoRoot, 'test', 'formats', 'fixtures');
export const sharedPath = (...parts: string[]) => path.join(sharedDir, ...parts);
