/**
 * Crash injection for the purge's crash-safety tests: `PIPELINE_FAILPOINT=purge:<name>` kills the process
 * (SIGKILL, like a power cut: no cleanup, no finally) when the purge reaches that point. Unset in production.
 */
export function failpoint(name: string): void {
  if (process.env.PIPELINE_FAILPOINT === `purge:${name}`) process.kill(process.pid, 'SIGKILL');
}

/** Every failpoint, in the order a purge reaches them (the crash test iterates over this list). */
export const FAILPOINTS = [
  'planned',
  'marked',
  'deleting',
  'files-deleted',
  'rebuild-written',
  'rebuild-renamed',
  'rebuilt',
  'verified',
  'certificate-written',
] as const;
