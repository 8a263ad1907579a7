import type { RunParams } from '../../../config/params.js';
import { loadProfileSpec, peakRects } from '../charts/load-profile-chart.js';
import { regionCarbonSpec, regionEnergySpec, regionPeakShareSpec } from '../charts/region-charts.js';
import { renderChartSvg } from '../charts/render-svg.js';
import { escapeHtml, SECRET_LABEL } from '../format-fr.js';
import type { PublishedTables } from '../published-tables.js';
import { peakWindowText } from './headline.js';
import type { TopLevelSpec } from 'vega-lite';

/**
 * The report's charts (issue 6), each an inline SVG in a <figure>. A chart whose data are all secret is
 * replaced by a sentence: no axis is drawn from a suppressed cell.
 */
interface ChartBlock {
  id: string;
  title: string;
  caption: string;
  spec: TopLevelSpec | null;
  secretText: string;
}

async function renderBlock(block: ChartBlock): Promise<string> {
  const title = `<h3>${escapeHtml(block.title)}</h3>`;
  if (!block.spec) {
    // No caption either: it would describe a chart that is not there.
    return `<figure class="chart" id="${block.id}">${title}\n<p class="secret-note">${SECRET_LABEL} : ${escapeHtml(block.secretText)}</p></figure>`;
  }
  const svg = await renderChartSvg(block.id, block.spec, block.title);
  return `<figure class="chart" id="${block.id}">${title}\n${svg}\n<figcaption>${escapeHtml(block.caption)}</figcaption></figure>`;
}

export async function renderProfileCharts(tables: PublishedTables, params: RunParams): Promise<string> {
  const caption = (dayType: 'weekday' | 'weekend') =>
    'Puissance moyenne appelée par les véhicules à chaque demi-heure (trait plein), comparée à ce qu’elle ' +
    'aurait été si chaque véhicule avait rechargé dès son branchement (tirets). En gris pointillé, l’intensité carbone ' +
    'du réseau (axe de droite). ' +
    (peakRects(params.peakWindow, dayType).length > 0
      ? `Zone orangée : la pointe du soir (${peakWindowText(params)}).`
      : `La pointe du soir ne concerne pas ces jours-là (${peakWindowText(params)}).`);
  const secretText = 'trop peu de contributeurs au niveau national ce mois-ci.';
  const blocks: ChartBlock[] = [
    { id: 'profil-semaine', title: 'Une journée type en semaine (du lundi au vendredi)', caption: caption('weekday'), secretText,
      spec: loadProfileSpec(tables.nationalProfile, 'weekday', params.peakWindow) },
    { id: 'profil-week-end', title: 'Une journée type le week-end', caption: caption('weekend'), secretText,
      spec: loadProfileSpec(tables.nationalProfile, 'weekend', params.peakWindow) },
  ];
  const figures = await renderSeries(blocks);
  return `<section id="journee"><h2>La recharge au fil de la journée, en France</h2>\n${figures}\n</section>`;
}

export async function renderRegionCharts(tables: PublishedTables, flatPeakSharePct: number | null): Promise<string> {
  const secretText = 'aucune région n’a assez de contributeurs ce mois-ci.';
  const blocks: ChartBlock[] = [
    { id: 'regions-carbone', title: 'Carbone par kWh rechargé, par région', secretText, spec: regionCarbonSpec(tables.indicators),
      caption: 'Point bleu : émissions moyennes de l’électricité rechargée par les véhicules dans la région. Trait orangé : ' +
        'moyenne du réseau sur le mois, celle d’une recharge répartie uniformément. Un point à gauche du trait ' +
        'signifie une recharge aux heures où l’électricité est la moins carbonée. L’axe ne part pas de zéro.' },
    { id: 'regions-pointe', title: 'Part de l’énergie rechargée pendant la pointe du soir, par région', secretText,
      spec: regionPeakShareSpec(tables.indicators, flatPeakSharePct),
      caption: 'Plus la part est faible, moins la recharge des véhicules pèse sur le réseau au moment où il est le plus sollicité. ' +
        'Trait orangé : la France entière. ' +
        (flatPeakSharePct === null ? '' : 'Tirets gris : la part qu’aurait une recharge répartie uniformément sur toutes les heures du mois.') },
    { id: 'regions-energie', title: 'Énergie délivrée et points de charge actifs, par région', secretText,
      spec: regionEnergySpec(tables.indicators),
      caption: 'Régions classées par énergie délivrée dans le mois. Un point de charge est actif s’il a délivré de l’énergie dans le mois.' },
  ];
  const figures = await renderSeries(blocks);
  return `<section id="regions"><h2>Les régions</h2>\n${figures}\n</section>`;
}

/** One chart at a time: rendering is CPU-bound and the order keeps the output deterministic. */
async function renderSeries(blocks: ChartBlock[]): Promise<string> {
  const parts: string[] = [];
  for (const block of blocks) parts.push(await renderBlock(block));
  return parts.join('\n');
}
