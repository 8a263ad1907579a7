import { flatCarbon, utc, type MonthFixture } from './month-fixture.js';
import { parseMonth } from '../../src/util/month.js';

/**
 * March 2024 (spring DST on Sunday the 31st: 1486 slots, 21 weekdays → 84 peak slots), small enough to
 * compute every indicator by hand. Local times are Europe/Paris (UTC+1 until 31 March 02:00, then UTC+2).
 *   P1 Tue 05 18:00 local (peak)          E 2000 Ecf 1000  I 400   consumption 90000
 *   O1 Tue 05 23:30 local (off-peak)      E 1000 Ecf    0  I 100   (+ unresolved region E 1000 Ecf 1000)
 *   W1 Sat 09 18:00 local (weekend)       E 1000 Ecf 3000  I 100   consumption 80000
 *   M1, M2 Sun 31 23:00/23:30 CEST        E  500 Ecf  500  I 100   (a session running into April:
 *   A1, A2 Mon 1 April 00:00/00:30 CEST   E  500 Ecf  500          its April part must be ignored)
 *   Z  Sun 10 13:00 local: I 1286, so the month's mean intensity is 100 + (300 + 1186) / 1486 = 101.
 */
export const MARCH = parseMonth('2024-03');
export const P1 = utc('2024-03-05T17:00:00Z');
export const O1 = utc('2024-03-05T22:30:00Z');
export const W1 = utc('2024-03-09T17:00:00Z');
export const M1 = utc('2024-03-31T21:00:00Z');
export const M2 = utc('2024-03-31T21:30:00Z');
export const A1 = utc('2024-03-31T22:00:00Z');
export const A2 = utc('2024-03-31T22:30:00Z');
export const Z = utc('2024-03-10T12:00:00Z');
export const FEB_LAST = utc('2024-02-29T22:30:00Z');

export function marchFixture(): MonthFixture {
  return {
    slots: [
      { region: '11', slotS: FEB_LAST, energyWh: 5000, cfEnergyWh: 5000 },
      { region: '11', slotS: P1, energyWh: 2000, cfEnergyWh: 1000 },
      { region: '11', slotS: O1, energyWh: 1000, cfEnergyWh: 0 },
      { region: null, slotS: O1, energyWh: 1000, cfEnergyWh: 1000 },
      { region: '11', slotS: W1, energyWh: 1000, cfEnergyWh: 3000 },
      { region: '11', slotS: M1, energyWh: 500, cfEnergyWh: 500 },
      { region: '11', slotS: M2, energyWh: 500, cfEnergyWh: 500 },
      { region: '11', slotS: A1, energyWh: 500, cfEnergyWh: 500 },
      { region: '11', slotS: A2, energyWh: 500, cfEnergyWh: 500 },
    ],
    stations: [
      { cpId: 1, userId: 'USER-A', region: '11', energyWh: 3000 },
      { cpId: 2, userId: 'USER-B', region: '11', energyWh: 1500 },
      { cpId: 3, userId: 'USER-A', region: '11', energyWh: 500 },
      { cpId: 4, userId: 'USER-C', region: null, energyWh: 1000 },
      { cpId: 5, userId: 'USER-D', region: '84', energyWh: 0 },
    ],
    sessions: [
      { region: '11', sessions: 3 },
      { region: null, sessions: 1 },
    ],
    episodes: [
      { region: '11', episodes: 3, withoutCounterfactual: 1 },
      { region: null, episodes: 1, withoutCounterfactual: 0 },
    ],
    carbon: {
      kind: 'consumption',
      source: 'ODRE',
      // National consumption for every slot (50 GW), highest at P1 then W1: the top-N ranking needs the whole month.
      rows: flatCarbon(MARCH.startS - 7200, MARCH.endS + 7200, 100, [
        { slotS: P1, gPerKwh: 400, consumptionMw: 90000 },
        { slotS: W1, gPerKwh: 100, consumptionMw: 80000 },
        { slotS: Z, gPerKwh: 1286, consumptionMw: 50000 },
      ], 50000),
    },
    registry: [
      ...[11, 12, 13, 14, 15].map((cpId) => ({ cpId, region: '11' })),
      { cpId: 16, region: '11', inServiceDate: '2024-03-31' },
      { cpId: 17, region: '11', inServiceDate: '2024-04-01' },
      { cpId: 18, region: null },
      { cpId: 19, region: null },
      { cpId: 20, region: '84' },
      { cpId: 21, region: '84' },
    ],
  };
}
