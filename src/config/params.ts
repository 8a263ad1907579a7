import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Every parameter of a monthly run, with the defaults of indicators.md and privacy.md.
 * Sources, in increasing priority: defaults, `pipeline.config.json` (in the working folder, or --config),
 * command-line flags. The values used are recorded in the run's manifest.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[03]0$/, 'a local time on :00 or :30, e.g. 18:00');

export const localWindowSchema = z
  .object({
    start: hhmm,
    end: hhmm,
    /** ISO weekdays (1 = Monday ... 7 = Sunday) the window applies to. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1),
  })
  .strict();

export const runParamsSchema = z
  .object({
    peakWindow: localWindowSchema.default({ start: '18:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] }),
    offPeakWindow: localWindowSchema.default({ start: '23:00', end: '07:00', weekdays: [1, 2, 3, 4, 5, 6, 7] }),
    topN: z.number().int().min(1).max(1000).default(10),
    /** Longest gap between two operations of one smart-charged episode, in hours. */
    episodeGapHours: z.number().positive().max(24).default(4),
    /** Longest span of one episode, in hours. */
    episodeMaxSpanHours: z.number().positive().max(72).default(24),
    minStations: z.number().int().min(1).default(10),
    minBeneficiaries: z.number().int().min(1).default(3),
    /**
     * Dominance test of the primary rule (privacy.md): `share`, the largest contributor holds at most
     * dominancePct of the cell; or `p-percent`, the SDC Handbook's p % rule: what the others than the two largest
     * contribute must be at least pPercent of the largest, so that the second largest cannot estimate the
     * largest to within pPercent.
     */
    dominanceRule: z.enum(['share', 'p-percent']).default('share'),
    dominancePct: z.number().gt(0).max(100).default(85),
    pPercent: z.number().gt(0).max(100).default(10),
    /** `auto`: the one kind the store has for the month (consumption preferred); the kind used is recorded. */
    carbonKind: z.enum(['auto', 'production', 'consumption', 'lifecycle']).default('auto'),
    /** The run refuses when more EV energy than this falls in slots without carbon intensity. */
    maxMissingCarbonPct: z.number().min(0).max(100).default(1),
    csvLocale: z.enum(['en', 'fr']).default('en'),
  })
  .strict();

export type RunParams = z.infer<typeof runParamsSchema>;
export type LocalWindow = z.infer<typeof localWindowSchema>;

export const CONFIG_FILE_NAME = 'pipeline.config.json';

export function defaultRunParams(): RunParams {
  return runParamsSchema.parse({});
}

/** Merges defaults, the configuration file (if any) and flags, and validates the result. */
export function loadRunParams(options: { configFile?: string; overrides?: Partial<RunParams>; cwd?: string } = {}): RunParams {
  const file = options.configFile ?? path.join(options.cwd ?? process.cwd(), CONFIG_FILE_NAME);
  let fromFile: unknown = {};
  if (fs.existsSync(file)) {
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AppError('INVALID_CONFIG', `${file} is not valid JSON`, { cause: error });
    }
  } else if (options.configFile) {
    throw new AppError('INVALID_CONFIG', `configuration file ${file} does not exist`);
  }
  const defined = Object.fromEntries(Object.entries(options.overrides ?? {}).filter(([, v]) => v !== undefined));
  const merged = { ...(fromFile as object), ...defined };
  const parsed = runParamsSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new AppError('INVALID_CONFIG', `invalid parameters: ${issues}`);
  }
  return parsed.data;
}
