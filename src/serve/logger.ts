/**
 * Structured logs: one JSON object per line on stderr (issue 7). At the default level ('info') a line carries
 * counts, codes, logins and latencies, never a UserID, StationID, TransactionID or password (privacy.md).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  level: LogLevel;
  log(level: Exclude<LogLevel, 'silent'>, event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return {
    level,
    log(lineLevel, event, fields = {}) {
      if (RANK[lineLevel] < RANK[level]) return;
      write(`${JSON.stringify({ ts: new Date().toISOString(), level: lineLevel, event, ...fields })}\n`);
    },
  };
}
