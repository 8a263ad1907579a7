import { parseArgs } from 'node:util';

type Defaults = Record<string, number | string | boolean>;

/**
 * The options of a bench script, `--name value` or `--flag`, read with node's parseArgs (strict: an unknown or
 * misspelt option is an error, not a silently ignored default). `defaults` names every option and gives its type:
 * a number (the value must be a finite number), a string, or a boolean flag.
 */
export function readBenchArgs<T extends Defaults>(argv: string[], defaults: T): T {
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, { type: typeof value === 'boolean' ? 'boolean' : 'string' }] as const),
  );
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const result: Defaults = { ...defaults };
  for (const [name, value] of Object.entries(values)) {
    if (typeof defaults[name] !== 'number') {
      result[name] = value as string | boolean;
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number)) throw new Error(`--${name} must be a number, not '${String(value)}'`);
    result[name] = number;
  }
  return result as T;
}
