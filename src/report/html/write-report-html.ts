import fs from 'node:fs';
import path from 'node:path';
import type { RunParams } from '../../config/params.js';
import { flatLoadPeakSharePct } from './flat-load.js';
import { formatMonthFr } from './format-fr.js';
import { renderPage } from './page.js';
import { carbonCoverage, readPublishedTables, type PublishedTables } from './published-tables.js';
import { renderProfileCharts, renderRegionCharts } from './sections/charts.js';
import { renderHeadline } from './sections/headline.js';
import { renderIndicatorsTables } from './sections/indicators-table.js';
import { renderMethodology, type CarbonSource } from './sections/methodology.js';
import { renderQuality } from './sections/quality.js';

export { writeReportsIndex } from './reports-index.js';

export const REPORT_HTML_FILE = 'report.html';

export interface ReportHtmlContext {
  month: string;
  params: RunParams;
  /** The carbon series used; when absent, taken from manifest.json if the folder already has one. */
  carbon?: CarbonSource;
}

/**
 * Writes reportDir/report.html, the steering committee's report (issue 6), from the files already published in
 * reportDir (indicators.parquet, load_profile.parquet, quality.csv) and the run's parameters. It never reads the
 * store, so it can show neither an identifier nor a suppressed value (decision "privacy by construction").
 * The output depends only on those inputs (no clock), so the same run gives the same bytes.
 */
export async function writeReportHtml(reportDir: string, context: ReportHtmlContext): Promise<string> {
  const tables = await readPublishedTables(reportDir);
  const html = await buildReportHtml(tables, context);
  const file = path.join(reportDir, REPORT_HTML_FILE);
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, html);
  fs.renameSync(temporary, file);
  return file;
}

export async function buildReportHtml(tables: PublishedTables, context: ReportHtmlContext): Promise<string> {
  const { month, params } = context;
  const national = tables.indicators.find((row) => row.geo_level === 'national');
  const carbon = context.carbon ?? carbonFromManifest(tables.manifest);
  const flatPeakSharePct = flatLoadPeakSharePct(tables.nationalProfile, params.peakWindow);
  const intro = '<p>Ce rapport résume la recharge des véhicules électriques sur les points de charge financés par le ' +
    'programme Advenir : quelle énergie, à quelles heures, avec quel contenu en carbone, et ce que le pilotage de la ' +
    'recharge a évité sur la pointe du soir. Les chiffres de chaque territoire ne sont publiés que s’ils ne permettent ' +
    'de reconnaître ni un bénéficiaire ni un point de charge.</p>';
  const sections = [
    intro,
    renderHeadline(national, params, flatPeakSharePct, carbonCoverage(tables, month)),
    await renderProfileCharts(tables, params),
    await renderRegionCharts(tables, flatPeakSharePct),
    renderIndicatorsTables(tables.indicators, params),
    renderMethodology(month, params, carbon),
    renderQuality(tables, national, month),
  ];
  const footer = 'Données détaillées dans le même dossier : <a href="indicators.csv">indicators.csv</a>, ' +
    '<a href="load_profile.csv">load_profile.csv</a>, <a href="quality.csv">quality.csv</a>, ' +
    '<a href="manifest.json">manifest.json</a> (paramètres et empreintes du calcul). <a href="../index.html">Tous les mois</a>.';
  return renderPage(
    `Recharge des véhicules électriques : ${formatMonthFr(month)}`,
    'Programme Advenir, rapport mensuel au comité de pilotage',
    sections,
    footer,
  );
}

function carbonFromManifest(manifest: Record<string, unknown>): CarbonSource | null {
  const carbon = manifest.carbon as { kind?: unknown; sources?: unknown } | undefined;
  if (!carbon || typeof carbon.kind !== 'string') return null;
  const sources = Array.isArray(carbon.sources) ? carbon.sources.map(String) : [];
  return { kind: carbon.kind, sources };
}
