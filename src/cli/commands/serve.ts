import { Command, InvalidArgumentError, Option } from 'commander';
import { commandContext } from '../context.js';
import { DEFAULT_BURST, DEFAULT_RATE_PER_S, startService } from '../../serve/service.js';
import { createLogger, type LogLevel } from '../../serve/logger.js';
import { AppError } from '../../errors.js';

/** `pipeline serve`: the Advenir collection web service (issue 7; docs/api.md). Logic lives in src/serve. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Advenir collection web service (/api/courbe/put, /api/operation/put, /health)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', toPort, 8080)
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--tls-ca <file>', 'PEM authority whose client certificates authenticate operators (CN = login)')
    .option('--max-body-mb <mb>', 'largest accepted request body, in MB', toPositive, 20)
    .option('--rate <requests-per-s>', 'sustained requests per second per operator (0: no limit)', toNonNegative, DEFAULT_RATE_PER_S)
    .option('--burst <requests>', 'requests an operator may send at once above the rate', toPositive, DEFAULT_BURST)
    .option('--programme-start <date>', 'refuse (211) sessions before this UTC day, YYYY-MM-DD (as pipeline ingest)', '2016-01-01')
    .option('--workers <n>', 'worker threads that parse and validate bodies (0: main thread)', toNonNegative, 1)
    .option('--index-retention-days <days>', 'forget received keys older than this at start-up (the store still dedupes)', toPositive, 400)
    .addOption(new Option('--log-level <level>', 'JSON log lines on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']).default('info'))
    .option('--json', 'print the listening address as JSON on stdout')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) throw new AppError('USAGE', '--tls-cert and --tls-key go together');
      if (options.tlsCa && !options.tlsCert) throw new AppError('USAGE', '--tls-ca needs --tls-cert and --tls-key');
      const service = await startService({
        dataDir: paths.dataDir,
        host: options.host,
        port: options.port,
        tls: options.tlsCert ? { certFile: options.tlsCert, keyFile: options.tlsKey, caFile: options.tlsCa } : undefined,
        maxBodyBytes: Math.round(options.maxBodyMb * 1024 * 1024),
        ratePerS: options.rate,
        burst: options.burst,
        programmeStartS: parseDay(options.programmeStart),
        indexRetentionDays: options.indexRetentionDays,
        workers: Math.floor(options.workers),
        logger: createLogger(options.logLevel as LogLevel),
      });
      output.result({ url: service.url, port: service.port, pid: process.pid }, () => `listening on ${service.url}`);
      await waitForSignal();
      await service.close();
    });
}

/** Resolves on SIGINT or SIGTERM: the service then finishes the requests in flight before exiting. */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new AppError('USAGE', `--programme-start must be a day YYYY-MM-DD, not '${day}'`);
  }
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

function toPort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`'${value}' is not a port`);
  return n;
}

function toPositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`'${value}' is not a positive number`);
  return n;
}

function toNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${value}' is not a number >= 0`);
  return n;
}
