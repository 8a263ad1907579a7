import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { repoRoot } from '../helpers/cli.js';

/** The real `pipeline serve` as a child process (loopback, free port), with its stdout/stderr kept for the checks. */
export interface ServiceChild {
  child: ChildProcess;
  url: string;
  pid: number;
  /** Everything the process printed so far (JSON log lines on stderr). */
  stdout: () => string;
  stderr: () => string;
}

export async function startServiceChild(dataDir: string, extraArgs: string[] = []): Promise<ServiceChild> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'pipeline.js'), '--data-dir', dataDir, 'serve', '--host', '127.0.0.1', '--port', '0', '--json', '--rate', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (first) => {
      stdout += `${first}\n`;
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      resolve(first);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url: JSON.parse(line).url as string, pid: child.pid!, stdout: () => stdout, stderr: () => stderr };
}

export function stopServiceChild(service: ServiceChild | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    const child = service?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function isAlive(service: ServiceChild): boolean {
  return service.child.exitCode === null && service.child.signalCode === null;
}

export interface RawAnswer {
  status: number;
  json?: any;
  text: string;
  error?: string;
}

/**
 * Sends raw bytes with node:http (fetch would refuse some of what we want to send, and re-encode strings).
 * A connection reset is reported in `error` (e.g. a 413 that closes the connection while the body is still going).
 */
export function sendRaw(url: string, pathName: string, body: Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const request = http.request(`${url}${pathName}`, { method, headers: { 'Content-Length': String(body.length), ...headers }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, json, text });
      });
      response.on('error', (error) => resolve({ status: response.statusCode ?? 0, text: '', error: error.message }));
    });
    // A server that answers early (413) and closes may make the upload fail first: give its answer time to arrive.
    request.on('error', (error) => setTimeout(() => resolve({ status: 0, text: '', error: error.message }), 300));
    request.end(body);
  });
}

export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}
