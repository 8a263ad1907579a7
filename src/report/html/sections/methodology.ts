import type { RunParams } from '../../../config/params.js';
import { escapeHtml, formatLocalTime, formatMonthFr, formatNumber, formatWeekdays } from '../format-fr.js';
import { peakWindowText } from './headline.js';

/**
 * The methodology section, generated from the run's parameters (issue 6) so that it always tells the rules the
 * figures were computed with (indicators.md, privacy.md), never a copy that could drift from them.
 */
export interface CarbonSource {
  kind: string;
  sources: string[];
}

const CARBON_KINDS: Record<string, string> = {
  production: 'émissions directes de la production d’électricité en France (type « Taux de CO2 » d’éCO2mix)',
  consumption: 'intensité en gaz à effet de serre de l’électricité consommée en France, importations comprises',
  lifecycle: 'intensité en cycle de vie, construction des centrales comprise',
};

/** Source names as the loaders record them (src/formats/carbon/source.ts), as the committee knows them. */
const SOURCE_NAMES: Record<string, string> = {
  'RTE eCO2mix': 'RTE, éCO2mix',
  ODRE: 'ODRÉ (RTE), intensité de la consommation',
  'Electricity Maps': 'Electricity Maps',
  'generic CSV': 'fichier CSV fourni à l’outil (format générique)',
};

export function describeCarbonSource(source: string): string {
  return SOURCE_NAMES[source] ?? source;
}

export function describeCarbonKind(kind: string): string {
  return CARBON_KINDS[kind] ?? `série « ${kind} »`;
}

export function renderMethodology(month: string, params: RunParams, carbon: CarbonSource | null): string {
  const offPeak = params.offPeakWindow;
  const carbonText = carbon
    ? `${describeCarbonKind(carbon.kind)}${carbon.sources.length > 0 ? `, source : ${carbon.sources.map(describeCarbonSource).join(', ')}` : ''}`
    : 'non précisée par la publication';
  const items = [
    `<li><strong>Période.</strong> ${escapeHtml(formatMonthFr(month))}, en heure de Paris. La journée est découpée en demi-heures ; ` +
      'l’énergie de chaque recharge est répartie sur les demi-heures où elle a eu lieu.</li>',
    `<li><strong>Pointe du soir.</strong> ${escapeHtml(peakWindowText(params))} (pointe de consommation nationale selon RTE). ` +
      `<strong>Heures creuses</strong> : de ${formatLocalTime(offPeak.start)} à ${formatLocalTime(offPeak.end)}, ${escapeHtml(formatWeekdays(offPeak.weekdays))}.</li>`,
    `<li><strong>Carbone.</strong> Intensité carbone du réseau : ${escapeHtml(carbonText)}. Le carbone par kWh rechargé est ` +
      'la moyenne de cette intensité pondérée par l’énergie rechargée à chaque demi-heure ; la moyenne du réseau est celle ' +
      `qu’obtiendrait une recharge répartie uniformément sur le mois. Le calcul est refusé si plus de ${formatNumber(params.maxMissingCarbonPct, decimalsOf(params.maxMissingCarbonPct))} % ` +
      'de l’énergie tombe dans des demi-heures sans intensité connue.</li>',
    '<li><strong>Recharge sans pilotage (estimation).</strong> Pour chaque branchement, on suppose que le véhicule aurait ' +
      'rechargé dès son arrivée, à la puissance nominale du point de charge (ou, à défaut, à la plus forte puissance ' +
      `observée), jusqu’à recevoir la même énergie. Des recharges d’un même point séparées d’au plus ${formatNumber(params.episodeGapHours, decimalsOf(params.episodeGapHours))} h ` +
      `et tenant en ${formatNumber(params.episodeMaxSpanHours, decimalsOf(params.episodeMaxSpanHours))} h forment un seul branchement. La pointe évitée est la différence ` +
      'de puissance moyenne pendant la pointe entre cette estimation et la recharge observée.</li>',
    `<li><strong>Demi-heures les plus chargées.</strong> Les ${params.topN} demi-heures du mois où la consommation nationale ` +
      'a été la plus forte, quand la série carbone donne cette consommation pour toutes les demi-heures du mois ' +
      '(sinon la valeur n’est pas calculée : « non disponible »).</li>',
    `<li><strong>Secret statistique.</strong> Un territoire n’est publié que si au moins ${params.minStations} points de charge ` +
      `et ${params.minBeneficiaries} bénéficiaires y ont délivré de l’énergie, et si ${dominanceText(params)}. Pour qu’aucune valeur cachée ne puisse se déduire ` +
      'par différence avec le total national, d’autres régions peuvent être masquées aussi (secret secondaire). ' +
      'Ce rapport est construit uniquement à partir des tableaux publiés, après application de ces règles.</li>',
    '<li><strong>Arrondis.</strong> Les valeurs sont calculées en double précision et publiées arrondies au millième ; ce rapport ' +
      'les affiche avec moins de décimales.</li>',
  ];
  return `<section id="methode"><h2>Méthode</h2><ul>\n${items.join('\n')}\n</ul></section>`;
}

/** The dominance test of the run (docs/reports.md), in words. */
function dominanceText(params: RunParams): string {
  if (params.dominanceRule === 'p-percent') {
    return 'ni les points de charge ni les bénéficiaires n’y sont dominés par le plus gros d’entre eux : l’énergie de tous ' +
      `les autres que les deux plus gros doit atteindre au moins ${formatNumber(params.pPercent, decimalsOf(params.pPercent))} % ` +
      'de celle du plus gros (règle du p %)';
  }
  return 'aucun bénéficiaire ni aucun point de charge n’y pèse plus de ' +
    `${formatNumber(params.dominancePct, decimalsOf(params.dominancePct))} % de l’énergie`;
}

/** Parameters print as given: 4 → "4", 1.5 → "1,5" (at most 2 decimals). */
function decimalsOf(value: number): number {
  for (let decimals = 0; decimals < 2; decimals += 1) if (Number(value.toFixed(decimals)) === value) return decimals;
  return 2;
}
