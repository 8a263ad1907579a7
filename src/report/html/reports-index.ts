import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml, formatMonthFr } from './format-fr.js';
import { renderPage } from './page.js';

const MONTH_DIR = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The months of reportsDir that have a report.html, newest first. */
export function listReportMonths(reportsDir: string): string[] {
  if (!fs.existsSync(reportsDir)) return [];
  return fs
    .readdirSync(reportsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && MONTH_DIR.test(entry.name))
    .filter((entry) => fs.existsSync(path.join(reportsDir, entry.name, 'report.html')))
    .map((entry) => entry.name)
    .sort()
    .reverse();
}

/**
 * Writes reports/index.html (issue 6): one link per month that has a report, newest first. Rebuilt from the
 * folder's contents after every run, so it never lists a month whose report is gone.
 */
export function writeReportsIndex(reportsDir: string): string {
  const months = listReportMonths(reportsDir);
  const list = months.length === 0
    ? '<p>Aucun rapport mensuel pour le moment.</p>'
    : `<ul class="months">\n${months
      .map((month) => `<li><a href="${month}/report.html">${escapeHtml(formatMonthFr(month))}</a></li>`)
      .join('\n')}\n</ul>`;
  const html = renderPage(
    'Recharge des véhicules électriques : rapports mensuels',
    'Programme Advenir, rapports au comité de pilotage',
    [`<section><h2>Mois disponibles</h2>\n${list}\n</section>`],
    'Chaque mois a son dossier, avec le rapport et les tableaux publiés (CSV, Parquet) et leur manifeste.',
  );
  fs.mkdirSync(reportsDir, { recursive: true });
  const file = path.join(reportsDir, 'index.html');
  fs.writeFileSync(`${file}.tmp`, html);
  // Shared like the month folders (the store's umask 077 would make it private).
  fs.chmodSync(`${file}.tmp`, 0o644);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
