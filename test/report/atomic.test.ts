import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runParamsSchema } from '../../src/config/params.js';
import { recoverReportDir, replaceDirAtomically } from '../../src/report/atomic-dir.js';
import { publishMonth } from '../../src/report/publish-month.js';
import { openStore } from '../../src/store/database.js';
import { MAY, loadMayStore } from './report-fixture.js';
import { quietOutput } from '../helpers/store.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const distEntry = path.join(repoRoot, 'dist', 'report', 'publish-month.js');
const quiet = quietOutput();

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-atomic-'));
}

describe('atomic replacement of reports/<month>/', () => {
  it('puts the previous set back when a crash happened between the two renames', async () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, '.old-2024-05-999999'));
    fs.writeFileSync(path.join(parent, '.old-2024-05-999999', 'indicators.csv'), 'old');
    fs.mkdirSync(path.join(parent, '.tmp-2024-05-999998'));
    recoverReportDir(parent, '2024-05');
    expect(fs.readdirSync(parent)).toEqual(['2024-05']);
    expect(fs.readFileSync(path.join(parent, '2024-05', 'indicators.csv'), 'utf8')).toBe('old');
    await replaceDirAtomically(parent, '2024-05', async (dir) => fs.writeFileSync(path.join(dir, 'indicators.csv'), 'new'));
    expect(fs.readdirSync(parent)).toEqual(['2024-05']);
    expect(fs.readFileSync(path.join(parent, '2024-05', 'indicators.csv'), 'utf8')).toBe('new');
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it.skipIf(!fs.existsSync(distEntry))('keeps the previous reports when a run is killed mid-way (needs dist/: npm run build)', async () => {
    const root = tempDir();
    const dataDir = path.join(root, 'data');
    const reportsDir = path.join(root, 'reports');
    const paths = { dataDir, reportsDir };
    let store = await openStore(dataDir);
    await loadMayStore(store, { persistent: true });
    await publishMonth(store, { month: MAY, params: runParamsSchema.parse({}), paths, output: quiet, runId: 1 });
    await store.connection.run('update month_cell_slots set energy_wh = energy_wh * 2');
    store.close();
    const before = Object.fromEntries(fs.readdirSync(path.join(reportsDir, '2024-05')).map((f) => [f, fs.readFileSync(path.join(reportsDir, '2024-05', f))]));

    // A second run, in its own process, stalls after writing part of its files; it is then killed with SIGKILL.
    const script = `
      import fs from 'node:fs';
      const dist = ${JSON.stringify(path.join(repoRoot, 'dist'))};
      const { openStore } = await import(dist + '/store/database.js');
      const { publishMonth } = await import(dist + '/report/publish-month.js');
      const { parseMonth } = await import(dist + '/util/month.js');
      const { runParamsSchema } = await import(dist + '/config/params.js');
      const { createOutput } = await import(dist + '/cli/output.js');
      const store = await openStore(${JSON.stringify(dataDir)});
      const stall = async (context) => {
        fs.writeFileSync(context.dir + '/partial.csv', 'x');
        process.stdout.write('STALLED\\n');
        setInterval(() => undefined, 1000);
        await new Promise(() => undefined);
      };
      await publishMonth(store, { month: parseMonth('2024-05'), params: runParamsSchema.parse({}), paths: ${JSON.stringify(paths)},
        output: createOutput(), runId: 2, extraWriters: [stall] });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => String(chunk).includes('STALLED') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before stalling: ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const after = path.join(reportsDir, '2024-05');
    expect(fs.readdirSync(after).sort()).toEqual(Object.keys(before).sort());
    for (const [file, contents] of Object.entries(before)) expect(fs.readFileSync(path.join(after, file)).equals(contents)).toBe(true);
    expect(fs.readdirSync(reportsDir).some((entry) => entry.startsWith('.tmp-2024-05-'))).toBe(true);

    // The next run replaces the set and removes the dead run's temporary folder.
    store = await openStore(dataDir);
    await publishMonth(store, { month: MAY, params: runParamsSchema.parse({}), paths, output: quiet, runId: 3 });
    store.close();
    expect(fs.readdirSync(reportsDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect(fs.readFileSync(path.join(after, 'indicators.csv')).equals(before['indicators.csv'])).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
