import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { escapeHtml } from '../format-fr.js';

/**
 * Renders a Vega-Lite spec to an SVG string at build time (issue 6: charts as inline SVG, drawn by a charting
 * library, no script in the report). `renderer: 'none'` runs the dataflow headless; `toSVG()` then serialises
 * the scenegraph without any DOM or canvas.
 */

/** d3-format / d3-time-format definitions for fr-FR, so axis labels read "1 250,5" and "mai". */
const FR_LOCALE = {
  number: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'] },
  time: {
    dateTime: '%A %e %B %Y à %X',
    date: '%d/%m/%Y',
    time: '%H:%M:%S',
    periods: ['AM', 'PM'],
    days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
    shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  },
};

/** No web fonts (the file must open offline): the reader's system sans-serif. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';

const CHART_CONFIG = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e5e5e5' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', labelLimit: 800 },
  title: { fontSize: 14, anchor: 'start' },
  // Vega-Lite's generated descriptions are English, with raw field names and unrounded values: the chart's
  // accessible name is its title (scopeSvgIds), and its figure caption says what it shows.
  aria: false,
} as const;

/** `label` becomes the SVG's accessible name (the chart's title). */
export async function renderChartSvg(chartId: string, spec: TopLevelSpec, label = chartId): Promise<string> {
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const runtime = vega.parse(compile(withConfig).spec);
  const view = new vega.View(runtime, { renderer: 'none', locale: FR_LOCALE } as unknown as vega.ViewOptions);
  try {
    const svg = await view.toSVG();
    return scopeSvgIds(chartId, svg, label);
  } finally {
    view.finalize();
  }
}

/**
 * Inline SVGs share the page's id space: Vega numbers clip paths and gradients per process, so two charts can
 * both define "clip1", and ids would change with the order charts are drawn. Renumbering them per chart keeps
 * ids unique in the page and the file deterministic.
 */
export function scopeSvgIds(chartId: string, svg: string, label = chartId): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  const renamed = new Map(ids.map((id, index) => [id, `${chartId}-${index + 1}`]));
  let scoped = svg.replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${renamed.get(id)}"`);
  scoped = scoped.replace(/url\(#([^)]+)\)/g, (whole, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)})` : whole));
  scoped = scoped.replace(/href="#([^"]+)"/g, (whole, id: string) => (renamed.has(id) ? `href="#${renamed.get(id)}"` : whole));
  // An accessible, identifiable root element: the browser test finds each chart by this attribute.
  return scoped.replace('<svg ', `<svg data-chart="${chartId}" role="img" aria-label="${escapeHtml(label)}" `);
}
