import fs from 'node:fs/promises';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { operatorsFile, readOperators, verifyPassword, type Operator } from './operators.js';

/**
 * Who is calling: HTTP Basic credentials, or a client certificate (seed §4.1: "Les opérateurs en faisant la
 * demande peuvent également recevoir un certificat client"). A certificate signed by the --tls-ca authority
 * authenticates the operator whose login equals the certificate's subject CN.
 *
 * scrypt costs ~50 ms of CPU by design, too much for every request of a busy client. After one successful
 * check, the service keeps an HMAC of the password under a per-process random key and compares later
 * requests against it in constant time; the cache is dropped whenever operators.json changes.
 */

export interface AuthenticatedOperator {
  login: string;
  userIds: ReadonlySet<string>;
  via: 'basic' | 'certificate';
}

export type AuthResult = { ok: true; operator: AuthenticatedOperator } | { ok: false; reason: 'missing' | 'invalid' };

/** How often the accounts file is checked for changes (so `operators remove` takes effect without restart). */
const RELOAD_CHECK_MS = 1000;

export function parseBasicAuthorization(header: string | undefined): { login: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class Authenticator {
  private operators = new Map<string, Operator>();
  private mtimeMs = -1;
  private lastCheckMs = 0;
  private readonly cacheKey = randomBytes(32);
  private verified = new Map<string, Buffer>();
  /** Checks in progress, so that 16 connections opening at once cost one scrypt, not 16. */
  private pending = new Map<string, Promise<boolean>>();
  /** A dummy hash to spend the same time on unknown logins as on known ones. */
  private dummy: Operator['password'] | undefined;

  constructor(private readonly dataDir: string) {}

  /** Loads the accounts now; later calls reload only when the file changed. */
  async refresh(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastCheckMs < RELOAD_CHECK_MS) return;
    this.lastCheckMs = now;
    const stat = await fs.stat(operatorsFile(this.dataDir)).catch(() => undefined);
    const mtimeMs = stat ? stat.mtimeMs + stat.size / 1e9 : 0;
    if (!force && mtimeMs === this.mtimeMs) return;
    let operators: Operator[];
    try {
      operators = await readOperators(this.dataDir);
    } catch (error) {
      // At start-up a broken accounts file stops the service; later (a hand edit gone wrong) the last good
      // accounts stay in force until the file is valid again.
      if (force) throw error;
      this.mtimeMs = mtimeMs;
      return;
    }
    this.operators = new Map(operators.map((o) => [o.login, o]));
    this.verified = new Map();
    this.mtimeMs = mtimeMs;
    this.dummy ??= operators[0]?.password;
  }

  get operatorCount(): number {
    return this.operators.size;
  }

  async authenticate(request: IncomingMessage): Promise<AuthResult> {
    await this.refresh();
    const certificateLogin = certificateCommonName(request);
    if (certificateLogin !== undefined) {
      const operator = this.operators.get(certificateLogin);
      if (operator?.enabled) return { ok: true, operator: toAuthenticated(operator, 'certificate') };
    }
    const credentials = parseBasicAuthorization(request.headers.authorization);
    if (!credentials) return { ok: false, reason: 'missing' };
    const operator = this.operators.get(credentials.login);
    const digest = createHmac('sha256', this.cacheKey).update(credentials.login).update('\0').update(credentials.password).digest();
    const cached = operator ? this.verified.get(operator.login) : undefined;
    if (operator && cached && timingSafeEqual(cached, digest)) {
      return operator.enabled ? { ok: true, operator: toAuthenticated(operator, 'basic') } : { ok: false, reason: 'invalid' };
    }
    const stored = operator?.password ?? this.dummy;
    const pendingKey = digest.toString('base64');
    let check = this.pending.get(pendingKey);
    if (!check) {
      check = stored ? verifyPassword(credentials.password, stored) : Promise.resolve(false);
      this.pending.set(pendingKey, check);
      void check.finally(() => this.pending.delete(pendingKey)).catch(() => undefined);
    }
    const matches = await check;
    if (!operator || !matches || !operator.enabled) return { ok: false, reason: 'invalid' };
    // The accounts may have been reloaded while scrypt ran: cache only against the current record.
    if (this.operators.get(operator.login) === operator) this.verified.set(operator.login, digest);
    return { ok: true, operator: toAuthenticated(operator, 'basic') };
  }
}

function toAuthenticated(operator: Operator, via: AuthenticatedOperator['via']): AuthenticatedOperator {
  return { login: operator.login, userIds: new Set(operator.user_ids.map((id) => id.toLowerCase())), via };
}

/** The subject CN of a client certificate the TLS layer verified against --tls-ca, if any. */
function certificateCommonName(request: IncomingMessage): string | undefined {
  const socket = request.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' && cn.length > 0 ? cn : undefined;
}
