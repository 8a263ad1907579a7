import type { RunParams } from '../../../config/params.js';
import { escapeHtml, formatLocalTime, formatNumber, formatWeekdays, formatWithUnit, SECRET_LABEL } from '../format-fr.js';
import type { CarbonCoverage, IndicatorRow } from '../published-tables.js';

/**
 * The month's key figures for the national cell (issue 6 "Headline figures"). When the national cell is
 * suppressed every card reads « secret statistique »: the figures would come from a secret cell.
 */
interface Card {
  label: string;
  value: string;
  /** Printed smaller after the value, so that long units do not overflow the card. */
  unit?: string;
  note: string;
}

export function renderHeadline(
  national: IndicatorRow | undefined,
  params: RunParams,
  flatPeakSharePct: number | null,
  carbon: CarbonCoverage | null = null,
): string {
  const cards = national && !national.suppressed ? publishedCards(national, params, flatPeakSharePct, carbon) : secretCards();
  const items = cards
    .map((card) => `<div class="card"><div class="card-label">${escapeHtml(card.label)}</div>` +
      `<div class="card-value${card.value === SECRET_LABEL ? ' secret' : ''}">${escapeHtml(card.value)}${card.unit ? `<span class="unit">${escapeHtml(card.unit)}</span>` : ''}</div><div class="card-note">${escapeHtml(card.note)}</div></div>`)
    .join('\n');
  return `<section id="chiffres-cles"><h2>Les chiffres du mois</h2>${inBrief(national, flatPeakSharePct)}<div class="cards">\n${items}\n</div></section>`;
}

/**
 * « En bref »: the month's message in three sentences, from the national cell only, each sign said in words
 * (a negative advantage or "avoided" peak would otherwise read backwards).
 */
function inBrief(national: IndicatorRow | undefined, flatPeakSharePct: number | null): string {
  if (!national || national.suppressed) {
    return '<p class="in-brief"><strong>En bref.</strong> Les chiffres nationaux ne sont pas publiés ce mois-ci : trop peu de ' +
      'points de charge ou de bénéficiaires y contribuent.</p>';
  }
  const sentences: string[] = [];
  const advantage = national.carbon_advantage_pct;
  if (advantage !== null && national.carbon_g_per_kwh !== null) {
    const when = advantage >= 0 ? 'moins carbonées' : 'plus carbonées';
    sentences.push(`La recharge a eu lieu à des heures ${when} que la moyenne du mois : ` +
      `${formatWithUnit(national.carbon_g_per_kwh, 'gCO₂e/kWh', 1)}, soit ${formatWithUnit(Math.abs(advantage), '%', 1)} ` +
      `${advantage >= 0 ? 'de moins' : 'de plus'} que le réseau.`);
  }
  if (national.peak_energy_share_pct !== null) {
    sentences.push(`${formatWithUnit(national.peak_energy_share_pct, '%', 1)} de l’énergie a été rechargée pendant la pointe du soir` +
      (flatPeakSharePct === null ? '.' : ` (une recharge uniforme sur le mois y en mettrait ${formatWithUnit(flatPeakSharePct, '%', 1)}).`));
  }
  const reduction = national.smart_peak_reduction_kw;
  if (reduction !== null) {
    sentences.push(reduction >= 0
      ? `Le pilotage de la recharge a abaissé la puissance moyenne en pointe de ${formatWithUnit(reduction, 'kW', 1)} par rapport à une recharge sans pilotage (estimation).`
      : `La puissance moyenne en pointe dépasse de ${formatWithUnit(-reduction, 'kW', 1)} celle d’une recharge sans pilotage (estimation) : le pilotage n’a pas réduit la pointe ce mois-ci.`);
  }
  return `<p class="in-brief"><strong>En bref.</strong> ${escapeHtml(sentences.join(' '))}</p>`;
}

export function peakWindowText(params: RunParams): string {
  const { start, end, weekdays } = params.peakWindow;
  return `de ${formatLocalTime(start)} à ${formatLocalTime(end)}, ${formatWeekdays(weekdays)}`;
}

function publishedCards(row: IndicatorRow, params: RunParams, flatPeakSharePct: number | null, carbon: CarbonCoverage | null): Card[] {
  return [
    { label: 'Énergie délivrée', ...energyParts(row.energy_kwh), note: 'aux véhicules, sur les points de charge suivis' },
    { label: 'Sessions de recharge', value: formatNumber(row.sessions), note: 'commencées dans le mois' },
    {
      label: 'Points de charge actifs',
      value: formatNumber(row.stations),
      note: row.coverage_pct === null ? 'ayant délivré de l’énergie' : `soit ${formatWithUnit(row.coverage_pct, '%', 1)} des points enregistrés en service`,
    },
    { label: 'Carbone par kWh rechargé', ...withUnit(row.carbon_g_per_kwh, 'gCO₂e/kWh', 1), note: carbonNote(row, carbon) },
    {
      label: 'Énergie rechargée pendant la pointe',
      ...withUnit(row.peak_energy_share_pct, '%', 1),
      note: `pointe du soir : ${peakWindowText(params)}` +
        (flatPeakSharePct === null ? '' : ` ; une recharge uniforme sur le mois y mettrait ${formatWithUnit(flatPeakSharePct, '%', 1)}`),
    },
    smartChargingCard(row),
  ];
}

function carbonNote(row: IndicatorRow, carbon: CarbonCoverage | null): string {
  const grid = `moyenne du réseau sur le mois (${formatWithUnit(row.grid_carbon_g_per_kwh, 'gCO₂e/kWh', 1)})`;
  const partial = carbon && carbon.known < carbon.total
    ? ` ; intensité connue pour ${formatWithUnit(carbon.pct, '%', 1)} des demi-heures du mois seulement`
    : '';
  const advantage = row.carbon_advantage_pct;
  if (advantage === null) return `à comparer à la ${grid}${partial}`;
  const direction = advantage >= 0 ? 'de moins' : 'de plus';
  return `soit ${formatWithUnit(Math.abs(advantage), '%', 1)} ${direction} que la ${grid}${partial}`;
}

/**
 * smart_peak_reduction_kw < 0 means the observed peak load is above the uncontrolled estimate: the card then
 * says so in words rather than printing an "avoided" peak with a minus sign.
 */
function smartChargingCard(row: IndicatorRow): Card {
  const reduction = row.smart_peak_reduction_kw;
  if (reduction !== null && reduction < 0) {
    return { label: 'Pointe supplémentaire par rapport à une recharge sans pilotage', ...withUnit(-reduction, 'kW', 1), note: peakNote(row) };
  }
  return { label: 'Pointe évitée grâce au pilotage', ...withUnit(reduction, 'kW', 1), note: peakNote(row) };
}

function peakNote(row: IndicatorRow): string {
  if (row.uncontrolled_peak_mean_load_kw === null || row.peak_mean_load_kw === null) return 'estimation (recharge sans pilotage)';
  return `puissance moyenne en pointe : ${formatWithUnit(row.peak_mean_load_kw, 'kW', 1)} au lieu de ` +
    `${formatWithUnit(row.uncontrolled_peak_mean_load_kw, 'kW', 1)} sans pilotage (estimation)`;
}

function secretCards(): Card[] {
  const labels = ['Énergie délivrée', 'Sessions de recharge', 'Points de charge actifs', 'Carbone par kWh rechargé',
    'Énergie rechargée pendant la pointe', 'Pointe évitée grâce au pilotage'];
  return labels.map((label) => ({ label, value: SECRET_LABEL, note: 'trop peu de contributeurs au niveau national ce mois-ci' }));
}

function withUnit(value: number | null, unit: string, decimals: number): { value: string; unit?: string } {
  return value === null ? { value: formatNumber(value) } : { value: formatNumber(value, decimals), unit };
}

/** kWh below 10 MWh, else MWh with one decimal (a non-specialist reads "103,1 MWh"). */
function energyParts(valueKwh: number | null): { value: string; unit?: string } {
  if (valueKwh !== null && Math.abs(valueKwh) >= 10_000) return withUnit(valueKwh / 1000, 'MWh', 1);
  return withUnit(valueKwh, 'kWh', 0);
}
