import { localMidnightSeconds } from '../util/month.js';
import type { Random } from './random.js';
import type { SampleChargePoint, Usage } from './charge-points.js';

export interface CurvePointJson {
  timestamp: number;
  value: number;
}

export interface OperationJson {
  StartTransaction: number;
  StopTransaction: number;
  StartValue: number;
  StopValue: number;
}

/** One transaction as an operator sends it: a curve, or one operation (a smart-charged charge is several). */
export interface SampleTransaction {
  point: SampleChargePoint;
  transactionId: string;
  body: CurvePointJson[] | OperationJson;
}

interface Plug {
  /** Local plug-in time, hours since local midnight. */
  hour: number;
  energyKwh: number;
}

/** Plug-ins of one charge point on one local day (behaviour by usage; Advenir site kinds). */
function plugsOfDay(usage: Usage, weekday: number, random: Random): Plug[] {
  const weekend = weekday === 0 || weekday === 6;
  const clampKwh = (v: number, max: number) => Math.min(max, Math.max(2, v));
  switch (usage) {
    case 'home':
      if (!random.chance(weekend ? 0.35 : 0.55)) return [];
      return [{ hour: weekend ? random.between(10, 20) : random.normal(18.6, 1.1), energyKwh: clampKwh(random.normal(13, 6), 45) }];
    case 'workplace':
      if (weekend || !random.chance(0.7)) return [];
      return [{ hour: random.normal(8.7, 0.6), energyKwh: clampKwh(random.normal(14, 6), 40) }];
    case 'public-ac':
      return Array.from({ length: random.int(0, weekend ? 2 : 3) }, () => ({
        hour: random.between(8, 21),
        energyKwh: clampKwh(random.normal(11, 5), 40),
      }));
    case 'public-dc':
      return Array.from({ length: random.int(1, 6) }, () => ({
        hour: random.between(7, 22),
        energyKwh: clampKwh(random.normal(30, 10), 70),
      }));
  }
}

/** Power the vehicle actually draws: the point's nominal power, limited by the car's own charger. */
function drawnPowerKw(point: SampleChargePoint, random: Random): number {
  const carLimit = point.usage === 'public-dc' ? random.weighted([50, 100, 130], [2, 2, 1]) : random.weighted([7.4, 11, 22], [3, 3, 1]);
  return Math.min(point.nominalPowerKw, carLimit) * random.between(0.9, 0.99);
}

/** Charging periods [startS, stopS, kWh] of one plug-in, after smart charging (shift to the night or split). */
function chargingPeriods(point: SampleChargePoint, plugS: number, midnightS: number, energyKwh: number, powerKw: number, random: Random) {
  const durationS = Math.round((energyKwh / powerKw) * 3600);
  if (!point.smart || random.chance(0.25)) {
    // Many home charges in France wait for the off-peak tariff (a timer in the car or the charger, not smart
    // charging): they start at 22:00-23:30 local whatever the plug-in time.
    const timer = point.usage === 'home' && plugS < midnightS + 22 * 3600 && random.chance(0.35);
    const startS = timer ? midnightS + Math.round(random.between(22, 23.5) * 3600) : plugS;
    return [{ startS, stopS: startS + durationS, energyKwh }];
  }
  if (point.usage === 'home' && random.chance(0.5)) {
    // Shifted to the off-peak night: starts between 22:30 and 01:00 local, after the evening peak.
    const startS = Math.max(plugS, midnightS + Math.round(random.between(22.5, 25) * 3600));
    return [{ startS, stopS: startS + durationS, energyKwh }];
  }
  // Split into 2-3 periods with pauses of 20 min to 2 h (load management across the site).
  const parts = random.int(2, 3);
  const periods = [];
  let cursor = plugS;
  for (let i = 0; i < parts; i++) {
    const share = energyKwh / parts;
    const lengthS = Math.round((share / powerKw) * 3600);
    periods.push({ startS: cursor, stopS: cursor + lengthS, energyKwh: share });
    cursor += lengthS + random.int(20, 120) * 60;
  }
  return periods;
}

/** Curve points every 5-30 min (irregular), cumulative Wh, with flat stretches during smart-charging pauses. */
function curvePoints(periods: { startS: number; stopS: number; energyKwh: number }[], plugS: number, meterStartWh: number, random: Random): CurvePointJson[] {
  const points: CurvePointJson[] = [];
  let valueWh = meterStartWh;
  // A curve is metered from plug-in: a delayed start shows as a flat stretch (meter values every 30-60 min).
  for (let t = plugS; t < periods[0].startS; t += random.int(30, 60) * 60) points.push({ timestamp: t, value: Math.round(valueWh) });
  for (const period of periods) {
    const powerWhPerS = (period.energyKwh * 1000) / (period.stopS - period.startS);
    let t = period.startS;
    if (points.length === 0 || points[points.length - 1].timestamp !== t) points.push({ timestamp: t, value: Math.round(valueWh) });
    const startValue = valueWh;
    while (t < period.stopS) {
      let step = Math.min(period.stopS - t, random.int(5, 30) * 60);
      // No sliver at the end: a few seconds between rounded indices would look like an absurd power.
      if (period.stopS - (t + step) < 300) step = period.stopS - t;
      t += step;
      valueWh = startValue + powerWhPerS * (t - period.startS);
      points.push({ timestamp: t, value: Math.round(valueWh) });
    }
    // A third point at least (seed: start, end and one in between).
    if (points.length === 2) {
      const mid = Math.round((points[0].timestamp + points[1].timestamp) / 2);
      points.splice(1, 0, { timestamp: mid, value: Math.round((points[0].value + points[1].value) / 2) });
    }
  }
  return points;
}

/** All transactions of one charge point from `firstDay` for `days` local days. */
export function generateTransactions(point: SampleChargePoint, firstDay: string, days: number, random: Random): SampleTransaction[] {
  const transactions: SampleTransaction[] = [];
  let meterWh = random.int(0, 5_000_000);
  let sequence = random.int(1000, 9000);
  for (let d = 0; d < days; d++) {
    const day = new Date(`${firstDay}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() + d);
    const isoDay = day.toISOString().slice(0, 10);
    const midnightS = localMidnightSeconds(isoDay);
    let busyUntilS = 0;
    for (const plug of plugsOfDay(point.usage, day.getUTCDay(), random).sort((a, b) => a.hour - b.hour)) {
      const plugS = Math.max(busyUntilS, midnightS + Math.round(plug.hour * 3600));
      const powerKw = drawnPowerKw(point, random);
      const periods = chargingPeriods(point, plugS, midnightS, plug.energyKwh, powerKw, random);
      busyUntilS = periods[periods.length - 1].stopS + 600;
      if (point.sendsCurves) {
        sequence += 1;
        const body = curvePoints(periods, plugS, meterWh, random);
        meterWh = body[body.length - 1].value;
        transactions.push({ point, transactionId: String(sequence), body });
      } else {
        for (const period of periods) {
          sequence += 1;
          const stopWh = meterWh + Math.round(period.energyKwh * 1000);
          transactions.push({
            point,
            transactionId: String(sequence),
            body: { StartTransaction: period.startS, StopTransaction: period.stopS, StartValue: meterWh, StopValue: stopWh },
          });
          meterWh = stopWh;
        }
      }
    }
  }
  return transactions;
}
