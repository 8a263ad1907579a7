import { createRequire } from 'node:module';
import type { Random } from './random.js';

/** What a subsidised site is used for; it drives plug-in times, energy and power (see sessions.ts). */
export type Usage = 'home' | 'workplace' | 'public-ac' | 'public-dc';

export interface SampleChargePoint {
  stationId: string;
  idPdcItinerance: string | null;
  userId: string;
  operator: string;
  communeCode: string;
  regionCode: string;
  nominalPowerKw: number;
  inServiceDate: string;
  usage: Usage;
  /** Sends charge curves (true) or charge operations (false). */
  sendsCurves: boolean;
  /** Has a smart-charging system that shifts or splits charges. */
  smart: boolean;
}

interface Commune {
  code: string;
  region: string;
  departement: string;
  type: string;
  population?: number;
  commune?: string;
}

const require = createRequire(import.meta.url);
const communes: Commune[] = require('@etalab/decoupage-administratif/data/communes.json');

/**
 * Charge points per metropolitan region: roughly proportional to the real network, with Corse small enough to fall
 * under the minimum-count rule (so the sample exercises primary and secondary suppression).
 */
export const REGION_WEIGHTS: Record<string, number> = {
  '11': 60, '84': 40, '75': 30, '76': 30, '93': 25, '32': 22, '44': 20,
  '52': 18, '53': 16, '28': 14, '27': 12, '24': 10, '94': 3,
};

const OPERATORS = ['op-alpha', 'op-beta', 'op-gamma', 'op-delta'];

/** The most populous communes of a region (arrondissements instead of Paris/Lyon/Marseille themselves). */
function candidateCommunes(regionCode: string): Commune[] {
  const inRegion = communes.filter(
    (c) => c.region === regionCode && (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal'),
  );
  const withArrondissements = new Set(inRegion.filter((c) => c.type === 'arrondissement-municipal').map((c) => c.commune));
  return inRegion
    .filter((c) => !withArrondissements.has(c.code))
    .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.code.localeCompare(b.code))
    .slice(0, 30);
}

const SITE_KINDS: { usage: Usage; pointsPerSite: [number, number]; weight: number }[] = [
  { usage: 'home', pointsPerSite: [3, 10], weight: 45 },
  { usage: 'workplace', pointsPerSite: [2, 8], weight: 30 },
  { usage: 'public-ac', pointsPerSite: [2, 6], weight: 18 },
  { usage: 'public-dc', pointsPerSite: [1, 3], weight: 7 },
];

function nominalPowerKw(usage: Usage, random: Random): number {
  switch (usage) {
    case 'home':
      return random.weighted([3.7, 7.4, 11], [1, 6, 2]);
    case 'workplace':
      return random.weighted([7.4, 11, 22], [2, 4, 3]);
    case 'public-ac':
      return 22;
    case 'public-dc':
      return random.weighted([50, 150], [2, 1]);
  }
}

/**
 * Draws beneficiaries (one UserID per subsidised site) and their charge points until each region has its
 * share of `targetPoints`.
 */
export function generateChargePoints(random: Random, targetPoints: number): SampleChargePoint[] {
  const totalWeight = Object.values(REGION_WEIGHTS).reduce((a, b) => a + b, 0);
  const points: SampleChargePoint[] = [];
  let siteNumber = 0;
  for (const [regionCode, weight] of Object.entries(REGION_WEIGHTS)) {
    const wanted = Math.max(1, Math.round((targetPoints * weight) / totalWeight));
    const towns = candidateCommunes(regionCode);
    let inRegion = 0;
    while (inRegion < wanted) {
      siteNumber += 1;
      const kind = random.weighted(SITE_KINDS, SITE_KINDS.map((k) => k.weight));
      const count = Math.min(wanted - inRegion, random.int(kind.pointsPerSite[0], kind.pointsPerSite[1]));
      const userId = random.uuid();
      const operator = random.pick(OPERATORS);
      const commune = random.weighted(towns, towns.map((_, i) => 1 / (i + 1)));
      const sendsCurves = random.chance(0.5);
      const smart = kind.usage === 'home' ? random.chance(0.5) : kind.usage === 'workplace' ? random.chance(0.3) : false;
      const power = nominalPowerKw(kind.usage, random);
      const inServiceDate = `20${random.int(19, 23)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      const public_ = kind.usage === 'public-ac' || kind.usage === 'public-dc';
      for (let k = 1; k <= count; k++) {
        const pdc = `FR${operator.slice(3, 6).toUpperCase()}E${String(siteNumber).padStart(5, '0')}${k}`;
        points.push({
          // Public points are known by their European id; private sites use the operator's own names.
          stationId: public_ ? pdc : `S${String(siteNumber).padStart(4, '0')}-${k}`,
          idPdcItinerance: public_ ? pdc : null,
          userId,
          operator,
          communeCode: commune.code,
          regionCode,
          nominalPowerKw: power,
          inServiceDate,
          usage: kind.usage,
          sendsCurves,
          smart,
        });
      }
      inRegion += count;
    }
  }
  return points;
}
