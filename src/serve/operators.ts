import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { storeLayout } from '../config/paths.js';
import { writeFileDurable } from './durable-fs.js';
import { ensurePrivateDir } from '../util/private-dir.js';

/**
 * Operator accounts of the collection service (issue 7): a login, a salted scrypt hash of the password,
 * the UserIDs (beneficiaries) the operator may send data for, and an enabled flag.
 * Stored in <data-dir>/service/operators.json (0600); only the service and `pipeline operators` read it.
 */

export const OPERATORS_FILE = 'operators.json';

/** scrypt cost: N = 2^15, r = 8 (OWASP password storage cheat sheet minimum for scrypt). */
const SCRYPT_PARAMS = { N: 32768, r: 8, p: 1, keyLength: 32 } as const;
const SCRYPT_MAXMEM_BYTES = 128 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r * 2;

const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a UUID');

const passwordHashSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive(),
    salt_b64: z.string().min(1),
    hash_b64: z.string().min(1),
  })
  .strict();

export const operatorSchema = z
  .object({
    login: z.string().min(1).max(200).regex(/^[^:\s]+$/, 'no colon or white space (HTTP Basic)'),
    password: passwordHashSchema,
    user_ids: z.array(uuidSchema),
    enabled: z.boolean(),
    created_at: z.string(),
  })
  .strict();

const operatorsFileSchema = z.object({ version: z.literal(1), operators: z.array(operatorSchema) }).strict();

export type Operator = z.infer<typeof operatorSchema>;
export type PasswordHash = z.infer<typeof passwordHashSchema>;

export function isUuid(value: string): boolean {
  return uuidSchema.safeParse(value).success;
}

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number; keyLength: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: Math.max(SCRYPT_MAXMEM_BYTES, 256 * params.N * params.r) };
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT_PARAMS);
  return { algorithm: 'scrypt', N: SCRYPT_PARAMS.N, r: SCRYPT_PARAMS.r, p: SCRYPT_PARAMS.p, salt_b64: salt.toString('base64'), hash_b64: hash.toString('base64') };
}

/** Constant-time comparison of the derived key (node:crypto timingSafeEqual). */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash_b64, 'base64');
  const actual = await scrypt(password, Buffer.from(stored.salt_b64, 'base64'), { N: stored.N, r: stored.r, p: stored.p, keyLength: expected.length });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function operatorsFile(dataDir: string): string {
  return path.join(storeLayout(dataDir).serviceDir, OPERATORS_FILE);
}

/** Reads the accounts; a missing file means no account yet. */
export async function readOperators(dataDir: string): Promise<Operator[]> {
  const file = operatorsFile(dataDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('FILE_UNREADABLE', `cannot read ${file}`, { cause: error });
  }
  let parsed: z.infer<typeof operatorsFileSchema>;
  try {
    parsed = operatorsFileSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new AppError('FILE_UNREADABLE', `${file} is not a valid operators file`, { cause: error });
  }
  return parsed.operators;
}

export async function writeOperators(dataDir: string, operators: Operator[]): Promise<void> {
  const dir = storeLayout(dataDir).serviceDir;
  await ensurePrivateDir(dir);
  const sorted = [...operators].sort((a, b) => a.login.localeCompare(b.login));
  await writeFileDurable(dir, OPERATORS_FILE, `${JSON.stringify({ version: 1, operators: sorted }, null, 2)}\n`);
}

export async function addOperator(dataDir: string, input: { login: string; password: string; userIds: string[]; now?: Date }): Promise<Operator> {
  const login = operatorSchema.shape.login.safeParse(input.login);
  if (!login.success) throw new AppError('USAGE', `invalid login: ${login.error.issues[0]?.message ?? 'rejected'}`);
  if (input.password.length < 8) throw new AppError('USAGE', 'the password must have at least 8 characters');
  const badIds = input.userIds.filter((id) => !isUuid(id));
  if (badIds.length) throw new AppError('USAGE', `${badIds.length} --user-id value(s) are not UUIDs`);
  const operators = await readOperators(dataDir);
  if (operators.some((o) => o.login === input.login)) throw new AppError('OPERATOR_EXISTS', `operator '${input.login}' already exists`);
  const operator = operatorSchema.parse({
    login: input.login,
    password: await hashPassword(input.password),
    user_ids: [...new Set(input.userIds.map((id) => id.toLowerCase()))].sort(),
    enabled: true,
    created_at: (input.now ?? new Date()).toISOString(),
  });
  await writeOperators(dataDir, [...operators, operator]);
  return operator;
}

export async function removeOperator(dataDir: string, login: string): Promise<void> {
  const operators = await readOperators(dataDir);
  const kept = operators.filter((o) => o.login !== login);
  if (kept.length === operators.length) throw new AppError('OPERATOR_NOT_FOUND', `no operator '${login}'`);
  await writeOperators(dataDir, kept);
}

/** Suspends (or restores) an account without forgetting it: a disabled operator gets 401 like an unknown one. */
export async function setOperatorEnabled(dataDir: string, login: string, enabled: boolean): Promise<void> {
  const operators = await readOperators(dataDir);
  const operator = operators.find((o) => o.login === login);
  if (!operator) throw new AppError('OPERATOR_NOT_FOUND', `no operator '${login}'`);
  await writeOperators(dataDir, operators.map((o) => (o.login === login ? { ...o, enabled } : o)));
}
