import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { SLOT_SECONDS, type MonthRange } from '../util/month.js';
import { Random } from './random.js';
import { generateChargePoints, type SampleChargePoint } from './charge-points.js';
import { generateTransactions, type SampleTransaction } from './sessions.js';
import { generateCarbonSeries } from './carbon.js';
import { generateAnomalies, type Anomaly } from './anomalies.js';

export interface SampleOptions {
  month: MonthRange;
  /** Approximate number of sessions; the number of charge points follows (about 20 sessions each a month). */
  sessions: number;
  seed: number;
  /** Folder the files are written to (the data dir's inbox). */
  outDir: string;
}

export interface SampleSummary {
  folder: string;
  files: string[];
  chargePoints: number;
  beneficiaries: number;
  transactions: number;
  anomalies: number;
}

/**
 * Writes a realistic month of inputs, as operators and the grid operator would deliver them:
 * a registration CSV, a half-hourly carbon series, and Advenir payload files of both formats per operator and week
 * (some in the array-at-station-level variant one real client sends), plus deliberately invalid sessions and files.
 */
export function writeSample(options: SampleOptions): SampleSummary {
  const random = new Random(options.seed);
  const points = generateChargePoints(random, Math.max(30, Math.round(options.sessions / 20)));
  const firstDay = new Date((options.month.startS - 86400) * 1000 + 12 * 3600 * 1000).toISOString().slice(0, 10);
  const days = Math.round((options.month.endS - options.month.startS) / 86400) + 1;
  const transactions = points.flatMap((point) => generateTransactions(point, firstDay, days, random));
  const anomalies = generateAnomalies(points, transactions, options.month.startS);

  const folder = path.join(options.outDir, `sample-${options.month.month}`);
  fs.rmSync(folder, { recursive: true, force: true });
  // Inputs sit in the data dir, which holds individual data: private folders and files (privacy.md).
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  fs.chmodSync(options.outDir, 0o700);
  fs.chmodSync(folder, 0o700);
  const files: string[] = [];
  const write = (name: string, content: string) => {
    fs.writeFileSync(path.join(folder, name), content, { mode: 0o600 });
    files.push(name);
  };

  write('registry.csv', registryCsv(points));
  const carbon = generateCarbonSeries(options.month.startS - 2 * 86400, options.month.endS + 2 * 86400, random);
  write(
    `carbon-${options.month.month}.csv`,
    stringify(
      carbon.map((slot) => [new Date(slot.slotS * 1000).toISOString().replace('.000Z', 'Z'), slot.gPerKwh, slot.consumptionMw]),
      { header: true, columns: ['datetime_utc', 'g_per_kwh', 'consumption_mw'] },
    ),
  );
  for (const [name, batch] of batchesByOperatorAndWeek(transactions, options.month)) {
    const arrayForm = name.startsWith('op-beta');
    write(`advenir-${name}.json`, JSON.stringify(payload(batch, arrayForm)));
  }
  write('advenir-anomalies.json', JSON.stringify(anomalyPayload(anomalies), null, 1));
  // Two file-level errors: a truncated upload (103) and a payload whose top level is a list (101).
  write('advenir-truncated.json', JSON.stringify(payload(transactions.slice(0, 3), false)).slice(0, 120));
  write('advenir-wrong-shape.json', JSON.stringify([payload(transactions.slice(0, 2), false)]));
  fs.writeFileSync(path.join(folder, 'README.md'), readme(options, points, transactions.length, anomalies), { mode: 0o600 });

  return {
    folder,
    files,
    chargePoints: points.length,
    beneficiaries: new Set(points.map((p) => p.userId)).size,
    transactions: transactions.length,
    anomalies: anomalies.length,
  };
}

function registryCsv(points: SampleChargePoint[]): string {
  return stringify(
    points.map((p) => [p.userId, p.stationId, p.idPdcItinerance ?? '', p.communeCode, p.nominalPowerKw, p.inServiceDate]),
    { header: true, columns: ['user_id', 'station_id', 'id_pdc_itinerance', 'code_insee_commune', 'puissance_nominale_kw', 'date_mise_en_service'] },
  );
}

/** Operators send weekly batches; the week is counted from the month's first day. */
function batchesByOperatorAndWeek(transactions: SampleTransaction[], month: MonthRange): Map<string, SampleTransaction[]> {
  const batches = new Map<string, SampleTransaction[]>();
  for (const t of transactions) {
    const startS = Array.isArray(t.body) ? t.body[0].timestamp : t.body.StartTransaction;
    const week = Math.max(0, Math.floor((startS - month.startS) / (7 * 86400))) + 1;
    const key = `${t.point.operator}-${Array.isArray(t.body) ? 'courbes' : 'operations'}-s${week}`;
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push(t);
  }
  return new Map([...batches.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

type Nested = Record<string, Record<string, Record<string, unknown> | Record<string, unknown>[]>>;

function payload(batch: SampleTransaction[], arrayForm: boolean): Nested {
  const out: Nested = {};
  for (const t of batch) {
    const byStation = (out[t.point.userId] ??= {});
    if (arrayForm) {
      const list = (byStation[t.point.stationId] ??= []) as Record<string, unknown>[];
      list.push({ [t.transactionId]: t.body });
    } else {
      const map = (byStation[t.point.stationId] ??= {}) as Record<string, unknown>;
      map[t.transactionId] = t.body;
    }
  }
  return out;
}

function anomalyPayload(anomalies: Anomaly[]): Nested {
  const out: Nested = {};
  for (const a of anomalies) {
    const map = ((out[a.userId] ??= {})[a.stationId] ??= {}) as Record<string, unknown>;
    map[a.transactionId] = a.body;
  }
  return out;
}

function readme(options: SampleOptions, points: SampleChargePoint[], transactions: number, anomalies: Anomaly[]): string {
  return [
    `# Generated sample month ${options.month.month}`,
    '',
    `Written by \`pipeline sample --month ${options.month.month} --sessions ${options.sessions} --seed ${options.seed}\`.`,
    'Synthetic: no real person, company or charge point. Every file is recognised by its content when `pipeline run`',
    'imports the inbox.',
    '',
    `- registry.csv: ${points.length} charge points (Advenir registration format) over the 13 metropolitan regions`,
    `- carbon-${options.month.month}.csv: half-hourly grid intensity and consumption (${SLOT_SECONDS / 60}-minute slots)`,
    `- advenir-*.json: ${transactions} transactions (curves and operations), weekly per operator`,
    '- advenir-anomalies.json: sessions that each break one rule:',
    ...anomalies.map((a) => `  - ${a.rule}`),
    '- advenir-truncated.json (cannot be parsed: 103) and advenir-wrong-shape.json (top level is a list: 101)',
    '',
  ].join('\n');
}
