import crypto from 'node:crypto';

/** One-shot crypto.hash (Node >= 20.12) is ~3x faster than createHash for short inputs. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/**
 * A truncated SHA-256 digest (128 bits, base64url) of a tuple of identifiers: the web service's files key sessions
 * and charge points by these, so that they hold no identifier in clear (received-keys.log, registry-powers.json).
 */
export function keyDigest(parts: string[]): string {
  // Identifiers may contain NUL: those keys are JSON-encoded so that ('A\0B', 'C') and ('A', 'B\0C') differ (issue 9).
  // Keys without NUL keep the plain join, so existing received-keys.log files stay valid.
  const text = parts.some((part) => part.includes('\u0000')) ? JSON.stringify(parts) : parts.join('\u0000');
  const full = oneShot ? oneShot('sha256', text, 'base64url') : crypto.createHash('sha256').update(text).digest('base64url');
  return full.slice(0, 22);
}
