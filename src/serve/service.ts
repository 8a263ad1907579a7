import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { AppError } from '../errors.js';
import { assertDataDirNotPurged } from '../purge/marker.js';
import { storeLayout } from '../config/paths.js';
import { DEFAULT_PROGRAMME_START_S } from '../ingest/codes.js';
import { Authenticator } from './auth.js';
import { ensurePrivateDir } from '../util/private-dir.js';
import { createAnalyser } from './analyser-pool.js';
import { createHandler } from './http-handler.js';
import { RegistryPowers } from './registry-powers.js';
import { KeyIndex } from './key-index.js';
import { LandingWriter } from './landing.js';
import { createLogger, type Logger } from './logger.js';
import { RateLimiter } from './rate-limit.js';
import { reindexLandingFiles } from './recovery.js';
import { acquireServiceLock } from './service-lock.js';

/** Assembles the collection service: state (accounts, key index, landing folder), then the HTTP(S) listener. */

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Per operator: 20 requests/s sustained (10,000 sessions/s at 500 per request), bursts of 40. */
export const DEFAULT_RATE_PER_S = 20;
export const DEFAULT_BURST = 40;
/** Wrong passwords per client address: 10 at once, then one every 2 s. */
const AUTH_FAILURES_PER_S = 0.5;
const AUTH_FAILURES_BURST = 10;
/** A resend more than ~13 months later is still caught, by the store's dedupe instead of a 202. */
export const DEFAULT_INDEX_RETENTION_DAYS = 400;

export interface ServiceOptions {
  dataDir: string;
  host?: string;
  port?: number;
  tls?: { certFile: string; keyFile: string; caFile?: string };
  maxBodyBytes?: number;
  ratePerS?: number;
  burst?: number;
  programmeStartS?: number;
  /** Received keys older than this many days are forgotten at start-up (bounded memory); default 400. */
  indexRetentionDays?: number;
  /** Worker threads for parsing and validation (0: on the main thread; also when running from sources). */
  workers?: number;
  /** Failed authentications allowed per client address: sustained rate and burst (defaults 0.5/s, 10). */
  authFailures?: { ratePerS: number; burst: number };
  logger?: Logger;
}

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? createLogger('info');
  const layout = storeLayout(options.dataDir);
  // Purge issue: after the end-of-programme purge nothing may collect individual data again. The service cannot
  // open the store (store_meta.purged_at), so it reads the PURGED.json marker; it checks again on every request.
  assertDataDirNotPurged(options.dataDir, 'serve');
  await ensurePrivateDir(layout.serviceDir);
  const lock = await acquireServiceLock(layout.serviceDir);
  try {
    const programmeStartS = options.programmeStartS ?? DEFAULT_PROGRAMME_START_S;
    const auth = new Authenticator(options.dataDir);
    await auth.refresh(true);
    if (auth.operatorCount === 0) logger.log('warn', 'no_operator', { hint: "add one with 'pipeline operators add'" });
    const landing = await LandingWriter.open(layout.landingDir);
    const forgetBeforeMs = Date.now() - (options.indexRetentionDays ?? DEFAULT_INDEX_RETENTION_DAYS) * 86_400_000;
    const keyIndex = await KeyIndex.open(layout.serviceDir, { forgetBeforeMs });
    const recovered = await reindexLandingFiles(keyIndex, landing, programmeStartS, forgetBeforeMs);
    logger.log('info', 'index_loaded', { keys: keyIndex.size, landing_files_reindexed: recovered.files, unreadable_landing_files: recovered.unreadable });
    // Without a snapshot yet (no `registry import` or `run` since this version), 208 is decided at load only.
    const registryPowers = await RegistryPowers.open(layout.serviceDir);
    logger.log('info', 'registry_powers_loaded', { charge_points: registryPowers.size });
    const analyser = createAnalyser(options.workers ?? 0);
    const handler = createHandler({
      auth,
      rate: new RateLimiter(options.ratePerS ?? DEFAULT_RATE_PER_S, options.burst ?? DEFAULT_BURST),
      authFailures: new RateLimiter(options.authFailures?.ratePerS ?? AUTH_FAILURES_PER_S, options.authFailures?.burst ?? AUTH_FAILURES_BURST),
      logger,
      process: { keyIndex, landing, analyser, programmeStartS, registryPowers, inflight: new Map() },
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      isPurged: () => isPurged(options.dataDir),
      startedAtMs: Date.now(),
    });
    const server = options.tls ? https.createServer(readTls(options.tls), handler) : http.createServer(handler);
    await listen(server, options.host ?? '127.0.0.1', options.port ?? 8080);
    const { port } = server.address() as AddressInfo;
    const host = options.host ?? '127.0.0.1';
    const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.log('info', 'listening', { url, tls: Boolean(options.tls), client_certificates: Boolean(options.tls?.caFile), analysis_workers: analyser.workers });
    return {
      url,
      port,
      async close() {
        // Stop accepting, let in-flight requests finish (their answers depend on durable writes), then release.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await keyIndex.close();
        await analyser.close();
        await lock.release();
        logger.log('info', 'stopped');
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function isPurged(dataDir: string): boolean {
  try {
    assertDataDirNotPurged(dataDir, 'serve');
    return false;
  } catch {
    return true;
  }
}

function readTls(tls: NonNullable<ServiceOptions['tls']>): https.ServerOptions {
  try {
    return {
      cert: fs.readFileSync(tls.certFile),
      key: fs.readFileSync(tls.keyFile),
      // Client certificates are optional: without one, HTTP Basic still applies (seed §4.1 offers both).
      ...(tls.caFile ? { ca: fs.readFileSync(tls.caFile), requestCert: true, rejectUnauthorized: false } : {}),
    };
  } catch (error) {
    throw new AppError('SERVE_FAILED', `cannot read the TLS files: ${(error as Error).message}`, { cause: error });
  }
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new AppError('SERVE_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error })));
    server.listen(port, host, () => resolve());
  });
}
