import { sessionCode } from '../../../ingest/codes.js';
import { escapeHtml, formatNumber, formatWithUnit } from '../format-fr.js';
import { carbonCoverage, type CarbonCoverage, type IndicatorRow, type PublishedTables } from '../published-tables.js';

/**
 * The data-quality section (issue 6): sessions received, accepted and rejected by collection route and by
 * rejection code (quality.csv), carbon coverage, charge-point coverage, episodes without a counterfactual and
 * the number of suppressed cells per reason. Everything comes from the published files.
 */
const CODE_LABELS_FR: Record<number, string> = {
  101: 'données au mauvais format',
  103: 'JSON illisible',
  104: 'identifiant de bénéficiaire invalide',
  201: 'index d’énergie décroissant',
  202: 'session déjà reçue',
  203: 'plus de 12 h entre deux index',
  204: 'opération de plus de 12 h',
  205: 'courbe de moins de 3 points',
  206: 'fin avant le début',
  207: 'énergie négative',
  208: 'puissance supérieure à celle du point de charge',
  209: 'point de charge pas encore enregistré (session en attente)',
  210: 'horodatage dans le futur',
  211: 'horodatage antérieur au programme',
  212: 'session ni courbe ni opération',
  213: 'identifiant de point de charge ou de transaction invalide',
};

const ROUTE_LABELS_FR: Record<string, string> = {
  'advenir-file': 'fichiers Advenir',
  webservice: 'service de collecte',
  'ocpi-cdr': 'exports OCPI',
  'irve-sessions': 'sessions IRVE',
  unknown: 'voie inconnue',
};

const REASON_LABELS_FR: Record<string, string> = {
  min_stations: 'trop peu de points de charge',
  min_beneficiaries: 'trop peu de bénéficiaires',
  dominance: 'un contributeur pèse trop',
  secondary: 'secret secondaire (empêche le calcul par différence)',
};

interface QualityRecord {
  scope: string;
  metric: string;
  route: string | null;
  code: number | null;
  value: number;
}

/** quality.csv may be written in the `fr` CSV style (decimal comma): parse both. */
export function qualityRecords(quality: PublishedTables['quality']): QualityRecord[] {
  return quality.rows
    .filter((row) => row.scope && row.metric && row.value !== null && row.value !== '')
    .map((row) => ({
      scope: String(row.scope),
      metric: String(row.metric),
      route: row.route ? String(row.route) : null,
      code: row.code ? Number(String(row.code).replace(',', '.')) : null,
      value: Number(String(row.value).replace(',', '.')),
    }))
    .filter((record) => Number.isFinite(record.value));
}

export function renderQuality(tables: PublishedTables, national: IndicatorRow | undefined, month: string): string {
  const records = qualityRecords(tables.quality).filter((record) => record.scope === 'month');
  return [
    '<section id="qualite"><h2>Qualité des données</h2>',
    renderSummary(records, national, tables.indicators, carbonCoverage(tables, month)),
    '<h3>Sessions reçues ce mois, par voie de collecte</h3>',
    national?.suppressed
      ? '<p>Effectifs non publiés : ils donneraient le nombre national de sessions, en secret statistique ce mois-ci.</p>'
      : renderRoutes(records),
    '<h3>Sessions refusées, par motif</h3>',
    renderRejections(records),
    '</section>',
  ].join('\n');
}

function metricValue(records: QualityRecord[], metric: string): number | null {
  return records.find((record) => record.metric === metric && record.route === null)?.value ?? null;
}

function renderSummary(
  records: QualityRecord[],
  national: IndicatorRow | undefined,
  rows: IndicatorRow[],
  carbon: CarbonCoverage | null,
): string {
  const published = national && !national.suppressed ? national : undefined;
  // Both are values of the national cell: absent from quality.csv, and not shown, when it is suppressed.
  const missing = metricValue(records, 'missing_carbon_energy_pct') ?? published?.missing_carbon_energy_pct ?? null;
  const coverage = metricValue(records, 'coverage_pct') ?? published?.coverage_pct ?? null;
  const nationalValue = (value: number | null, unit: string, decimals: number) =>
    national?.suppressed ? 'non publié (valeur nationale en secret statistique)' : formatWithUnit(value, unit, decimals);
  const items: string[] = [];
  if (carbon) {
    items.push(`<li>Demi-heures du mois dont l’intensité carbone est connue : ${escapeHtml(formatNumber(carbon.known))} sur ` +
      `${escapeHtml(formatNumber(carbon.total))} (${escapeHtml(formatWithUnit(carbon.pct, '%', 1))})` +
      `${carbon.known < carbon.total ? ' : la moyenne du réseau et le carbone par kWh ne portent que sur ces demi-heures' : ''}.</li>`);
  }
  items.push(
    `<li>Énergie rechargée pendant des demi-heures sans intensité carbone connue : ${escapeHtml(nationalValue(missing, '%', 2))}.</li>`,
    `<li>Points de charge enregistrés en service ayant transmis des recharges : ${escapeHtml(nationalValue(coverage, '%', 1))}.</li>`,
  );
  if (published && published.top_n_coincident_load_kw === null) {
    items.push('<li>Puissance aux demi-heures les plus chargées du réseau : non calculée, la série carbone ne donne pas la ' +
      'consommation nationale pour toutes les demi-heures du mois.</li>');
  }
  if (published && published.episodes !== null && published.episodes_without_counterfactual !== null) {
    items.push(`<li>Branchements pour lesquels la recharge sans pilotage n’a pas pu être estimée (puissance inconnue) : ` +
      `${escapeHtml(formatNumber(published.episodes_without_counterfactual))} sur ${escapeHtml(formatNumber(published.episodes))}, comptés comme non pilotés.</li>`);
  }
  const reasons = new Map<string, number>();
  for (const row of rows.filter((candidate) => candidate.suppressed)) {
    const reason = row.suppression_reason ?? 'secondary';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const secretText = reasons.size === 0
    ? 'aucun'
    : [...reasons.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, count]) => `${formatNumber(count)} (${REASON_LABELS_FR[reason] ?? reason})`).join(', ');
  items.push(`<li>Territoires en secret statistique : ${escapeHtml(secretText)}, sur ${escapeHtml(formatNumber(rows.length))}.</li>`);
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

function renderRoutes(records: QualityRecord[]): string {
  const routes = [...new Set(records.filter((record) => record.route !== null).map((record) => record.route as string))].sort();
  if (routes.length === 0) return '<p>Aucune session reçue pour ce mois.</p>';
  const sum = (route: string, metric: string) =>
    records.filter((record) => record.route === route && record.metric === metric).reduce((total, record) => total + record.value, 0);
  const lines = routes.map((route) => `<tr><th scope="row">${escapeHtml(ROUTE_LABELS_FR[route] ?? route)}</th>` +
    ['sessions_received', 'sessions_accepted', 'sessions_rejected', 'sessions_held']
      .map((metric) => `<td>${escapeHtml(formatNumber(sum(route, metric)))}</td>`).join('') + '</tr>');
  return '<div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Voie de collecte</th><th scope="col">Reçues</th>' +
    '<th scope="col">Acceptées</th><th scope="col">Refusées</th><th scope="col">En attente</th></tr></thead>\n' +
    `<tbody>\n${lines.join('\n')}\n</tbody></table></div>`;
}

function renderRejections(records: QualityRecord[]): string {
  const byCode = new Map<number, number>();
  for (const record of records.filter((candidate) => candidate.code !== null)) {
    if (record.metric !== 'sessions_rejected' && record.metric !== 'sessions_held') continue;
    byCode.set(record.code as number, (byCode.get(record.code as number) ?? 0) + record.value);
  }
  if (byCode.size === 0) return '<p>Aucune session refusée pour ce mois.</p>';
  const lines = [...byCode.entries()].sort(([a], [b]) => a - b).map(([code, count]) =>
    `<tr><td>${code}</td><td>${escapeHtml(CODE_LABELS_FR[code] ?? sessionCode(code).message)}</td><td>${escapeHtml(formatNumber(count))}</td></tr>`);
  return '<div class="table-wrap"><table class="compact rejections"><thead><tr><th scope="col">Code</th><th scope="col">Motif</th>' +
    `<th scope="col">Sessions</th></tr></thead>\n<tbody>\n${lines.join('\n')}\n</tbody></table></div>`;
}
