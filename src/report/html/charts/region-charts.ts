import type { TopLevelSpec } from 'vega-lite';
import { SECRET_LABEL } from '../format-fr.js';
import type { IndicatorRow, MeasuredColumn } from '../published-tables.js';

/**
 * Per-region charts (issue 6). No map: the only French-regions geometry on the npm registry
 * (@svg-maps/france.regions) is a rarely used set of SVG paths, not a well-kept geometry package, so the issue's
 * fallback applies: sorted bar charts. A suppressed region keeps its line, labelled « secret statistique »,
 * with no bar: its value is not in the published table and nothing here could draw it.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const BAR_COLOR = '#1f5fa8';
const REFERENCE_COLOR = '#c2410c';
const FLAT_COLOR = '#6b6b6b';
const ROW_STEP = 22;

interface RegionOrder {
  published: IndicatorRow[];
  secret: IndicatorRow[];
  /** Region names, published ones sorted by the chart's measure, then suppressed ones alphabetically. */
  order: string[];
}

function orderRegions(rows: IndicatorRow[], measure: MeasuredColumn, descending: boolean): RegionOrder {
  const regions = rows.filter((row) => row.geo_level === 'region');
  const published = regions
    .filter((row) => !row.suppressed && row[measure] !== null)
    .sort((a, b) => ((a[measure] as number) - (b[measure] as number)) * (descending ? -1 : 1) || a.geo_name.localeCompare(b.geo_name, 'fr'));
  const secret = regions
    .filter((row) => row.suppressed || row[measure] === null)
    .sort((a, b) => a.geo_name.localeCompare(b.geo_name, 'fr'));
  return { published, secret, order: [...published, ...secret].map((row) => row.geo_name) };
}

/** Text « secret statistique » on the suppressed regions' lines, at the start of the value axis. */
function secretLayer(secret: IndicatorRow[], order: string[]): unknown[] {
  if (secret.length === 0) return [];
  return [{
    data: { values: secret.map((row) => ({ region: row.geo_name, label: SECRET_LABEL })) },
    mark: { type: 'text', align: 'left', dx: 4, fontStyle: 'italic', color: '#6b6b6b' },
    encoding: {
      y: { field: 'region', type: 'nominal', sort: order, title: null },
      x: { value: 0 },
      text: { field: 'label' },
    },
  }];
}

function regionAxis(order: string[]) {
  return { field: 'region', type: 'nominal', sort: order, title: null, scale: { domain: order }, axis: { labelLimit: 320 } } as const;
}

/**
 * Carbon per kWh of EV charging per region (dot) against the month's grid average (tick), joined by a line: the
 * axis does not start at zero, so that differences of a few percent stay visible (regions share one national
 * grid series, so the bars of a zero-based chart would all look the same).
 */
export function regionCarbonSpec(rows: IndicatorRow[]): TopLevelSpec | null {
  const { published, secret, order } = orderRegions(rows, 'carbon_g_per_kwh', false);
  if (order.length === 0 || published.length === 0) return null;
  const values = published.map((row) => ({ region: row.geo_name, carbon: row.carbon_g_per_kwh, grid: row.grid_carbon_g_per_kwh }));
  const withGrid = values.filter((value) => value.grid !== null);
  const legend = { domain: ['Recharge des véhicules', 'Moyenne du réseau sur le mois'], range: [BAR_COLOR, REFERENCE_COLOR] };
  const x = { type: 'quantitative', title: 'gCO₂e par kWh', scale: { zero: false, nice: true } } as const;
  return {
    $schema: SCHEMA,
    width: 420,
    height: { step: ROW_STEP },
    layer: [
      {
        data: { values: withGrid },
        mark: { type: 'rule', color: '#9a9a9a', strokeWidth: 2 },
        encoding: { y: regionAxis(order), x: { field: 'grid', ...x }, x2: { field: 'carbon' } },
      },
      {
        data: { values: withGrid },
        mark: { type: 'tick', thickness: 3, bandSize: ROW_STEP * 0.8 },
        encoding: {
          y: regionAxis(order),
          x: { field: 'grid', ...x },
          color: { datum: 'Moyenne du réseau sur le mois', scale: legend, title: null },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          y: regionAxis(order),
          x: { field: 'carbon', ...x },
          color: { datum: 'Recharge des véhicules', scale: legend, title: null },
        },
      },
      ...secretLayer(secret, order),
    ],
  } as TopLevelSpec;
}

/**
 * Share of energy in the evening peak window per region, with the national share and the share a flat load
 * would have (the month's peak half-hours over all its half-hours) as reference lines.
 */
export function regionPeakShareSpec(rows: IndicatorRow[], flatPeakSharePct: number | null = null): TopLevelSpec | null {
  const { published, secret, order } = orderRegions(rows, 'peak_energy_share_pct', false);
  if (published.length === 0) return null;
  const national = rows.find((row) => row.geo_level === 'national' && !row.suppressed)?.peak_energy_share_pct ?? null;
  const layers: unknown[] = [
    {
      data: { values: published.map((row) => ({ region: row.geo_name, share: row.peak_energy_share_pct })) },
      mark: { type: 'bar', color: BAR_COLOR, height: { band: 0.7 } },
      encoding: {
        y: regionAxis(order),
        x: { field: 'share', type: 'quantitative', title: "Part de l'énergie rechargée pendant la pointe (%)" },
      },
    },
  ];
  // The lower line's label goes to its left, the other's to its right, so that close lines keep readable labels.
  const flatIsLower = national === null || (flatPeakSharePct ?? 0) <= national;
  if (national !== null) layers.push(referenceLine(national, 'France', REFERENCE_COLOR, [1, 0], flatIsLower ? 'left' : 'right'));
  if (flatPeakSharePct !== null) {
    layers.push(referenceLine(flatPeakSharePct, 'recharge uniforme', FLAT_COLOR, [5, 3], flatIsLower ? 'right' : 'left'));
  }
  layers.push(...secretLayer(secret, order));
  return { $schema: SCHEMA, width: 420, height: { step: ROW_STEP }, layer: layers } as TopLevelSpec;
}

/** A vertical reference line with its label above the plot. */
function referenceLine(share: number, label: string, color: string, dash: number[], align: 'left' | 'right'): unknown {
  return {
    data: { values: [{ share, label }] },
    layer: [
      { mark: { type: 'rule', color, strokeWidth: 2, strokeDash: dash }, encoding: { x: { field: 'share', type: 'quantitative' } } },
      {
        mark: { type: 'text', color, align, baseline: 'top', dx: align === 'left' ? 4 : -4, dy: -14 },
        encoding: { x: { field: 'share', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
      },
    ],
  };
}

/** Energy delivered and charge points reporting per region, side by side, sorted by energy. */
export function regionEnergySpec(rows: IndicatorRow[]): TopLevelSpec | null {
  const { published, secret, order } = orderRegions(rows, 'energy_kwh', true);
  if (published.length === 0) return null;
  const values = published.map((row) => ({
    region: row.geo_name,
    energy_mwh: (row.energy_kwh as number) / 1000,
    stations: row.stations,
  }));
  const panel = (field: string, title: string, format: string, showLabels: boolean) => ({
    width: 260,
    height: { step: ROW_STEP },
    layer: [
      {
        data: { values: values.filter((value) => value[field as keyof typeof value] !== null) },
        mark: { type: 'bar', color: BAR_COLOR, height: { band: 0.7 } },
        encoding: {
          y: { ...regionAxis(order), axis: showLabels ? { labelLimit: 320 } : null },
          x: { field, type: 'quantitative', title, axis: { format } },
        },
      },
      ...secretLayer(secret, order),
    ],
  });
  return {
    $schema: SCHEMA,
    hconcat: [panel('energy_mwh', 'Énergie délivrée (MWh)', ',~f', true), panel('stations', 'Points de charge actifs', ',~f', false)],
    resolve: { scale: { y: 'shared' } },
    spacing: 24,
  } as TopLevelSpec;
}
