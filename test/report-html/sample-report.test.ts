import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

/**
 * Issue 6, "What it must show": `pipeline run --month 2024-05` on the bundled sample writes report.html and
 * reports/index.html; the report holds no identifier of the sample's beneficiaries, charge points or sessions;
 * it opens in a real headless browser with the network cut, without console errors, and every chart draws.
 * A screenshot is left in test-artifacts/ (git-ignored) for CI to keep.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
const inbox = path.join(repoRoot, 'data', 'inbox');

/** Every identifier the sample's input files carry: UserIDs, StationIDs, TransactionIDs, registry ids. */
function sampleIdentifiers(): { long: Set<string>; transactions: Set<string> } {
  const long = new Set<string>();
  const transactions = new Set<string>();
  const folder = path.join(inbox, 'sample-2024-05');
  for (const file of fs.readdirSync(folder)) {
    const text = fs.readFileSync(path.join(folder, file), 'utf8');
    if (file.endsWith('.json')) {
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        continue; // the sample's deliberately truncated file
      }
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) continue;
      for (const [userId, stations] of Object.entries(payload as Record<string, unknown>)) {
        long.add(userId);
        if (!stations || typeof stations !== 'object') continue;
        for (const [stationId, sessions] of Object.entries(stations as Record<string, unknown>)) {
          long.add(stationId);
          if (sessions && typeof sessions === 'object') for (const transactionId of Object.keys(sessions)) transactions.add(transactionId);
        }
      }
    } else if (file === 'registry.csv') {
      for (const line of text.split('\n').slice(1)) {
        const [userId, stationId, pdc] = line.split(',');
        for (const id of [userId, stationId, pdc]) if (id) long.add(id);
      }
    }
  }
  return { long, transactions };
}

interface Drawing {
  chart: string;
  drawn: number;
  width: number;
  height: number;
}

/**
 * Runs in the page (a string, as the project compiles without the DOM library): for each chart, the number of
 * data marks (not axes or legends) whose bounding box is not empty, and the chart's size on screen.
 */
const MEASURE_CHARTS = `[...document.querySelectorAll('svg[data-chart]')].map((svg) => {
  const marks = [...svg.querySelectorAll('g.role-mark path, g.role-mark rect, g.role-mark line')];
  const drawn = marks.filter((mark) => { const box = mark.getBBox(); return box.width > 0 || box.height > 0; });
  const box = svg.getBoundingClientRect();
  return { chart: svg.getAttribute('data-chart'), drawn: drawn.length, width: box.width, height: box.height };
})`;

describe.skipIf(!fs.existsSync(inbox))('report.html of the bundled sample month (needs data/inbox)', () => {
  let reportsDir: string;
  let html: string;

  beforeAll(() => {
    const root = tempDir('report-html-');
    reportsDir = path.join(root, 'reports');
    fs.cpSync(inbox, path.join(root, 'data', 'inbox'), { recursive: true });
    const result = runCli(['run', '--month', '2024-05', '--data-dir', path.join(root, 'data'), '--reports-dir', reportsDir]);
    expect(result.stderr).not.toMatch(/error\[/);
    expect(result.status).toBe(0);
    html = fs.readFileSync(path.join(reportsDir, '2024-05', 'report.html'), 'utf8');
  }, 300_000);

  it('writes report.html, lists it in reports/index.html and in the manifest', () => {
    const index = fs.readFileSync(path.join(reportsDir, 'index.html'), 'utf8');
    expect(index).toContain('<a href="2024-05/report.html">mai 2024</a>');
    const manifest = JSON.parse(fs.readFileSync(path.join(reportsDir, '2024-05', 'manifest.json'), 'utf8'));
    expect(manifest.files.map((file: { name: string }) => file.name)).toContain('report.html');
    expect(html).toContain('secret statistique'); // the sample has suppressed regions with the default rules
  });

  it('contains no identifier of a beneficiary, charge point or session', () => {
    const { long, transactions } = sampleIdentifiers();
    expect(long.size).toBeGreaterThan(100);
    for (const id of long) expect(html.includes(id), `identifier ${id}`).toBe(false);
    // Transaction ids are short numbers: look for them as whole words of the visible text only, once the
    // month's name (« mai 2024 », where 2024 is also a transaction id of the sample) is taken out.
    const words = new Set(html.replace(/<[^>]*>/g, ' ').replaceAll('mai 2024', ' ').split(/[\s\u00a0\u202f,;:()«»]+/));
    const leaked = [...transactions].filter((id) => id.length >= 3 && words.has(id));
    expect(leaked).toEqual([]);
  });

  describe.skipIf(!hasChromium)(`in headless Chromium (needs ${CHROMIUM}, which .ci/run installs)`, () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('opens offline with no console error, draws every chart, and leaves a screenshot', async () => {
      const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const file = path.join(reportsDir, '2024-05', 'report.html');
      await page.goto(`file://${file}`, { waitUntil: 'load' });

      const drawings = await page.evaluate<Drawing[]>(MEASURE_CHARTS);
      expect(drawings.map((drawing) => drawing.chart)).toEqual(['profil-semaine', 'profil-week-end', 'regions-carbone', 'regions-pointe', 'regions-energie']);
      for (const drawing of drawings) {
        expect(drawing.drawn, `${drawing.chart} has drawn marks`).toBeGreaterThan(0);
        expect(drawing.width * drawing.height, `${drawing.chart} has a size`).toBeGreaterThan(10_000);
      }
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
      expect(problems).toEqual([]);

      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const screenshot = path.join(ARTIFACTS, 'report-2024-05.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(fs.statSync(screenshot).size).toBeGreaterThan(50_000);
      await context.close();
    }, 120_000);

    it('opens reports/index.html and follows its link to the report', async () => {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`file://${path.join(reportsDir, 'index.html')}`);
      await page.click('text=mai 2024');
      await page.waitForURL(/2024-05\/report\.html$/);
      expect(await page.title()).toBe('Recharge des véhicules électriques : mai 2024');
      expect(problems).toEqual([]);
      await context.close();
    }, 60_000);
  });
});
