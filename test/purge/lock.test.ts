import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPurge } from '../../src/purge/purge.js';
import { tempDir } from '../helpers/cli.js';
import { seedDataDir, seedReports } from './seed.js';
import { hashTree, listFiles } from './scan.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

async function seeded() {
  const root = tempDir('purge-lock-');
  roots.push(root);
  const paths = { dataDir: path.join(root, 'data'), reportsDir: path.join(root, 'reports') };
  await seedDataDir(paths.dataDir);
  seedReports(paths.reportsDir);
  return paths;
}

describe('one purge at a time', () => {
  it('refuses while another live process holds the purge lock, and changes nothing', async () => {
    const paths = await seeded();
    // The parent of this test worker is alive for the whole test: it stands for a purge under way.
    fs.writeFileSync(path.join(paths.dataDir, 'purge.lock'), `${process.ppid}\n`);
    const before = hashTree(paths.dataDir);
    await expect(runPurge(paths)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    expect(hashTree(paths.dataDir)).toEqual(before);
  });

  it('refuses while the collection service runs on the data folder (its lock names a live process)', async () => {
    const paths = await seeded();
    fs.writeFileSync(path.join(paths.dataDir, 'service', 'serve.lock'), `${process.ppid}\n`);
    const before = hashTree(paths.dataDir);
    await expect(runPurge(paths)).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.ppid } });
    expect(hashTree(paths.dataDir)).toEqual(before);
    // A lock left by a service killed with -9 does not block the purge (and is deleted with service/).
    fs.writeFileSync(path.join(paths.dataDir, 'service', 'serve.lock'), '2147483646\n');
    expect((await runPurge(paths)).certificate.verification.passed).toBe(true);
  });

  it('takes over the lock of a purge killed with -9 (its process is gone), and removes it at the end', async () => {
    const paths = await seeded();
    fs.writeFileSync(path.join(paths.dataDir, 'purge.lock'), '2147483646\n');
    const result = await runPurge(paths);
    expect(result.certificate.verification.passed).toBe(true);
    expect(listFiles(paths.dataDir)).toEqual(['PURGED.json', 'pipeline.duckdb']);
  });
});
