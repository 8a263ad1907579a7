import type { RunParams } from '../../../config/params.js';
import { escapeHtml, formatNumber, SECRET_LABEL } from '../format-fr.js';
import type { IndicatorRow, MeasuredColumn } from '../published-tables.js';

/**
 * The indicators table (issue 6), split in two so it stays readable on a laptop: volumes and carbon, then peak
 * and smart charging. A suppressed row prints « secret statistique » across its values and nothing else
 * (privacy.md: a suppressed value is never shown); the full precision is in indicators.csv beside the report.
 */
interface Column {
  key: MeasuredColumn;
  title: string;
  decimals: number;
}

const VOLUME_COLUMNS: Column[] = [
  { key: 'sessions', title: 'Sessions', decimals: 0 },
  { key: 'stations', title: 'Points de charge actifs', decimals: 0 },
  { key: 'beneficiaries', title: 'Bénéficiaires', decimals: 0 },
  { key: 'energy_kwh', title: 'Énergie (kWh)', decimals: 0 },
  { key: 'carbon_g_per_kwh', title: 'Carbone de la recharge (gCO₂e/kWh)', decimals: 1 },
  { key: 'grid_carbon_g_per_kwh', title: 'Moyenne du réseau (gCO₂e/kWh)', decimals: 1 },
  { key: 'carbon_advantage_pct', title: 'Avantage carbone (%)', decimals: 1 },
  { key: 'emissions_kg', title: 'Émissions (kgCO₂e)', decimals: 0 },
  { key: 'coverage_pct', title: 'Couverture des points enregistrés (%)', decimals: 1 },
];

function peakColumns(params: RunParams): Column[] {
  return [
    { key: 'max_load_kw', title: 'Puissance maximale (kW)', decimals: 1 },
    { key: 'peak_energy_share_pct', title: 'Énergie en pointe (%)', decimals: 1 },
    { key: 'peak_mean_load_kw', title: 'Puissance moyenne en pointe (kW)', decimals: 1 },
    { key: 'offpeak_energy_share_pct', title: 'Énergie en heures creuses (%)', decimals: 1 },
    { key: 'uncontrolled_peak_mean_load_kw', title: 'Puissance en pointe sans pilotage (kW)', decimals: 1 },
    { key: 'smart_peak_reduction_kw', title: 'Pointe évitée (kW)', decimals: 1 },
    { key: 'smart_shifted_energy_pct', title: 'Énergie déplacée par le pilotage (%)', decimals: 1 },
    { key: 'smart_carbon_delta_g_per_kwh', title: 'Carbone évité par le pilotage (gCO₂e/kWh)', decimals: 1 },
    { key: 'top_n_coincident_load_kw', title: `Puissance aux ${params.topN} demi-heures les plus chargées du réseau (kW)`, decimals: 1 },
  ];
}

/** How to read the columns whose meaning or sign is not obvious (definitions: indicators.md). */
const VOLUME_NOTES = [
  '<strong>Avantage carbone</strong> : de combien le carbone par kWh rechargé est inférieur à la moyenne du réseau sur le mois. ' +
    'Négatif : la recharge a eu lieu à des heures plus carbonées que la moyenne.',
  '<strong>Émissions</strong> : énergie rechargée × intensité carbone de chaque demi-heure.',
  '<strong>Couverture</strong> : part des points de charge enregistrés et en service qui ont transmis des recharges.',
];

function peakNotes(params: RunParams): string[] {
  return [
    '<strong>Puissance maximale</strong> : la plus forte puissance moyenne sur une demi-heure du mois.',
    '<strong>Puissance en pointe sans pilotage</strong> : estimation, si chaque véhicule avait rechargé dès son arrivée (voir la méthode).',
    '<strong>Pointe évitée</strong> : puissance moyenne en pointe sans pilotage moins puissance observée. Négative : la recharge ' +
      'observée a davantage chargé la pointe que l’estimation sans pilotage.',
    '<strong>Énergie déplacée par le pilotage</strong> : part de l’énergie que le pilotage a fait changer de demi-heure.',
    '<strong>Carbone évité par le pilotage</strong> : carbone par kWh de l’estimation sans pilotage moins celui de la recharge ' +
      'observée. Négatif : le pilotage a déplacé la recharge vers des heures plus carbonées.',
    `<strong>Puissance aux ${params.topN} demi-heures les plus chargées</strong> : puissance moyenne de la recharge pendant les ` +
      `${params.topN} demi-heures de plus forte consommation nationale du mois.`,
  ];
}

export function renderIndicatorsTables(rows: IndicatorRow[], params: RunParams): string {
  const notes = (items: string[]) => `<ul class="notes">\n${items.map((item) => `<li>${item}</li>`).join('\n')}\n</ul>`;
  return [
    '<section id="indicateurs"><h2>Tableau des indicateurs</h2>',
    '<p>Une ligne par territoire. « secret statistique » : la case n’est pas publiée, car trop peu de points de ' +
      'charge ou de bénéficiaires y contribuent, ou l’un d’eux y pèse trop (voir la méthode).</p>',
    '<h3>Volumes et carbone</h3>',
    renderTable(rows, VOLUME_COLUMNS),
    notes(VOLUME_NOTES),
    '<h3>Pointe du soir et pilotage de la recharge</h3>',
    renderTable(rows, peakColumns(params)),
    notes(peakNotes(params)),
    '</section>',
  ].join('\n');
}

export function renderTable(rows: IndicatorRow[], columns: Column[]): string {
  const head = `<tr><th scope="col">Territoire</th>${columns.map((column) => `<th scope="col">${escapeHtml(column.title)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => {
    const name = `<th scope="row">${escapeHtml(row.geo_name)}</th>`;
    if (row.suppressed) {
      return `<tr class="secret">${name}<td colspan="${columns.length}">${SECRET_LABEL}</td></tr>`;
    }
    const cells = columns.map((column) => `<td>${escapeHtml(formatNumber(row[column.key], column.decimals))}</td>`).join('');
    return `<tr${row.geo_level === 'national' ? ' class="national"' : ''}>${name}${cells}</tr>`;
  });
  return `<div class="table-wrap"><table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}
