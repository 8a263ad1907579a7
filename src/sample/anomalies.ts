import type { SampleChargePoint } from './charge-points.js';
import type { SampleTransaction } from './sessions.js';

/**
 * Sessions that break each protocol rule once or twice, so that a run on the sample shows every rejection code.
 * Each entry says which rule it breaks (docs/error-codes.md has the codes).
 */
export interface Anomaly {
  rule: string;
  userId: string;
  stationId: string;
  transactionId: string;
  body: unknown;
}

export function generateAnomalies(points: SampleChargePoint[], transactions: SampleTransaction[], monthStartS: number): Anomaly[] {
  const curveSite = points.find((p) => p.sendsCurves && p.usage === 'home')!;
  const opSite = points.find((p) => !p.sendsCurves && p.nominalPowerKw <= 11)!;
  const t0 = monthStartS + 10 * 86400 + 19 * 3600;
  const anomaly = (rule: string, point: SampleChargePoint, tx: string, body: unknown, userId = point.userId): Anomaly => ({
    rule, userId, stationId: point.stationId, transactionId: tx, body,
  });
  const curve = (values: [number, number][]) => values.map(([dt, value]) => ({ timestamp: t0 + dt, value }));
  const resent = transactions.find((t) => !Array.isArray(t.body))!;
  const renumbered = transactions.filter((t) => !Array.isArray(t.body))[1];
  return [
    anomaly('201 index decreasing', curveSite, 'X201-1', curve([[0, 1000], [600, 1800], [1200, 1500], [1800, 2600]])),
    // Two values at 1200 s: the larger one (1500) would keep the series monotonic, the other (800) falls below the
    // index of 600 s (900), so the series is ambiguous: 201 (protocol.md).
    anomaly('201 same timestamp, different value, not monotonic', curveSite, 'X201-2', curve([[0, 0], [600, 900], [1200, 1500], [1200, 800], [1800, 2000]])),
    anomaly('203 more than 12 h between two indices', curveSite, 'X203-1', curve([[0, 0], [3600, 7000], [3600 + 13 * 3600, 9000]])),
    anomaly('fewer than 3 points', curveSite, 'XPTS-1', curve([[0, 0], [3600, 7000]])),
    anomaly('operation longer than 12 h', opSite, 'XLONG-1', { StartTransaction: t0, StopTransaction: t0 + 13 * 3600, StartValue: 0, StopValue: 20000 }),
    anomaly('stop not after start', opSite, 'XSTOP-1', { StartTransaction: t0, StopTransaction: t0 - 600, StartValue: 0, StopValue: 2000 }),
    anomaly('negative energy', opSite, 'XNEG-1', { StartTransaction: t0, StopTransaction: t0 + 3600, StartValue: 9000, StopValue: 4000 }),
    anomaly('power above the charge point nominal power', opSite, 'XPOW-1', { StartTransaction: t0, StopTransaction: t0 + 3600, StartValue: 0, StopValue: 90000 }),
    anomaly('timestamp in the future', opSite, 'XFUT-1', { StartTransaction: 4102444800, StopTransaction: 4102448400, StartValue: 0, StopValue: 5000 }),
    anomaly('before the programme start', opSite, 'XOLD-1', { StartTransaction: 1420070400, StopTransaction: 1420074000, StartValue: 0, StopValue: 5000 }),
    anomaly('104 UserID is not a valid UUID', opSite, 'X104-1', { StartTransaction: t0, StopTransaction: t0 + 3600, StartValue: 0, StopValue: 5000 }, 'beneficiary-42'),
    { rule: 'unknown charge point (held until registered)', userId: opSite.userId, stationId: 'S9999-UNREGISTERED', transactionId: 'XUNK-1',
      body: { StartTransaction: t0, StopTransaction: t0 + 3600, StartValue: 0, StopValue: 5000 } },
    anomaly('202 session already recorded (same key resent)', resent.point, resent.transactionId, resent.body),
    anomaly('202 same charge point, start and stop under another TransactionID', renumbered.point, `${renumbered.transactionId}-R`, renumbered.body),
  ];
}
