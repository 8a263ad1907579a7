import { toZonedTime } from 'date-fns-tz';
import { LOCAL_TIME_ZONE, SLOT_SECONDS } from '../util/month.js';
import type { Random } from './random.js';

export interface CarbonSlot {
  slotS: number;
  gPerKwh: number;
  consumptionMw: number;
}

/**
 * A half-hourly grid series with a realistic French spring shape: intensity and consumption rise in the morning
 * and evening peaks, dip at midday (solar) and at night, and are lower at weekends. Values stay in the range of the
 * real consumption-based series (ODRÉ 2024: 8-68 g/kWh).
 */
export function generateCarbonSeries(fromS: number, toS: number, random: Random): CarbonSlot[] {
  const slots: CarbonSlot[] = [];
  let weather = 0;
  for (let slotS = fromS; slotS < toS; slotS += SLOT_SECONDS) {
    const local = toZonedTime(new Date(slotS * 1000), LOCAL_TIME_ZONE);
    const hour = local.getHours() + local.getMinutes() / 60;
    const weekend = local.getDay() === 0 || local.getDay() === 6;
    const bump = (center: number, width: number) => Math.exp(-(((hour - center) / width) ** 2));
    // A slowly wandering weather term (wind, hydro) shared by consecutive slots.
    weather = 0.97 * weather + random.normal(0, 0.6);
    const shape = 1 + 0.9 * bump(19, 1.8) + 0.5 * bump(8, 1.5) - 0.45 * bump(13.5, 2.5) - 0.35 * bump(3.5, 3);
    const gPerKwh = Math.max(6, (weekend ? 17 : 21) * shape + weather);
    const demand = 1 + 0.18 * bump(19.5, 2) + 0.14 * bump(9, 2) + 0.05 * bump(13, 2) - 0.22 * bump(4, 3);
    const consumptionMw = (weekend ? 38_000 : 44_000) * demand + random.normal(0, 400);
    slots.push({ slotS, gPerKwh: Math.round(gPerKwh * 10) / 10, consumptionMw: Math.round(consumptionMw) });
  }
  return slots;
}
