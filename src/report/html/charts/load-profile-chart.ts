import type { TopLevelSpec } from 'vega-lite';
import type { LocalWindow } from '../../../config/params.js';
import type { LoadProfileRow } from '../published-tables.js';

/**
 * National daily load profile for one day type (issue 6): observed load and the uncontrolled-charging
 * counterfactual (indicators.md "Load profile table") in kW, the grid carbon intensity on a second axis, and the
 * peak window shaded. Returns null when the national cell is suppressed: nothing is drawn from a secret cell.
 */
export const SERIES_ACTUAL = 'Recharge observée';
export const SERIES_UNCONTROLLED = 'Recharge sans pilotage (estimation)';
export const SERIES_CARBON = 'Intensité carbone du réseau (à droite)';

const HEIGHT = 260;
const LEGEND = { symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 300 };
const COLORS = { domain: [SERIES_ACTUAL, SERIES_UNCONTROLLED, SERIES_CARBON], range: ['#1f5fa8', '#e07b00', '#6b6b6b'] };

export function loadProfileSpec(rows: LoadProfileRow[], dayType: 'weekday' | 'weekend', peakWindow: LocalWindow): TopLevelSpec | null {
  const dayRows = rows.filter((row) => row.day_type === dayType).sort((a, b) => a.local_minute - b.local_minute);
  if (dayRows.length === 0 || dayRows.every((row) => row.mean_load_kw === null)) return null;
  const load = withClosingPoint(dayRows).flatMap((row) => [
    { hour: row.hour, series: SERIES_ACTUAL, kw: row.mean_load_kw },
    { hour: row.hour, series: SERIES_UNCONTROLLED, kw: row.uncontrolled_mean_load_kw },
  ]).filter((point) => point.kw !== null);
  const carbon = withClosingPoint(dayRows)
    .filter((row) => row.grid_carbon_g_per_kwh !== null)
    .map((row) => ({ hour: row.hour, g_per_kwh: row.grid_carbon_g_per_kwh }));
  const xAxis = {
    field: 'hour', type: 'quantitative', title: 'Heure locale (Paris)',
    scale: { domain: [0, 24], nice: false },
    axis: { values: [0, 3, 6, 9, 12, 15, 18, 21, 24], labelExpr: "datum.value + ' h'" },
  } as const;
  const layers: unknown[] = [];
  const shaded = peakRects(peakWindow, dayType);
  if (shaded.length > 0) {
    layers.push({
      data: { values: shaded },
      mark: { type: 'rect', color: '#fbe3c2', opacity: 0.8 },
      encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' } },
    });
    layers.push({
      data: { values: shaded.map((rect) => ({ x: (rect.x0 + rect.x1) / 2, label: 'pointe' })) },
      mark: { type: 'text', baseline: 'bottom', dy: -4, color: '#a35a00', fontSize: 11 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: HEIGHT }, text: { field: 'label' } },
    });
  }
  // One color legend for the three series (each line names its series with a color datum); the kW lines
  // share one y scale inside their own layer, the carbon line has the independent right-hand axis.
  const kwAxis = { field: 'kw', type: 'quantitative', title: 'Puissance moyenne (kW)', axis: { orient: 'left', format: ',~f' } };
  layers.push({
    data: { values: load },
    layer: [SERIES_UNCONTROLLED, SERIES_ACTUAL].map((series) => ({
      transform: [{ filter: { field: 'series', equal: series } }],
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, strokeDash: series === SERIES_ACTUAL ? [1, 0] : [6, 3] },
      encoding: { x: xAxis, y: kwAxis, color: { datum: series, type: 'nominal', scale: COLORS, title: null, legend: LEGEND } },
    })),
  });
  if (carbon.length > 0) {
    layers.push({
      data: { values: carbon },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, strokeDash: [2, 2] },
      encoding: {
        x: xAxis,
        y: { field: 'g_per_kwh', type: 'quantitative', title: 'gCO₂e par kWh', scale: { zero: true }, axis: { orient: 'right', grid: false } },
        color: { datum: SERIES_CARBON, type: 'nominal', scale: COLORS, title: null, legend: LEGEND },
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 820,
    height: HEIGHT,
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Step lines end at 24 h: the 23:30 slot is drawn over its whole half-hour. */
function withClosingPoint(rows: LoadProfileRow[]): Array<LoadProfileRow & { hour: number }> {
  const points = rows.map((row) => ({ ...row, hour: row.local_minute / 60 }));
  const last = points[points.length - 1];
  return last.local_minute === 1410 ? [...points, { ...last, hour: 24 }] : points;
}

/** The configured peak window as hour ranges on this day type; a window crossing midnight gives two ranges. */
export function peakRects(window: LocalWindow, dayType: 'weekday' | 'weekend'): Array<{ x0: number; x1: number }> {
  const days = dayType === 'weekday' ? [1, 2, 3, 4, 5] : [6, 7];
  if (!window.weekdays.some((day) => days.includes(day))) return [];
  const start = hours(window.start);
  const end = hours(window.end);
  if (start < end) return [{ x0: start, x1: end }];
  return [{ x0: start, x1: 24 }, ...(end > 0 ? [{ x0: 0, x1: end }] : [])];
}

function hours(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h + m / 60;
}
