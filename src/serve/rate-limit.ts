/**
 * Per-operator token bucket (issue 7: "429 with Retry-After when an operator exceeds its rate").
 * Each request takes one token; tokens refill at `ratePerS` up to `burst`. A rate of 0 disables the limit.
 */
const MAX_TRACKED_KEYS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Takes a token for `key`; returns 0 when allowed, else the whole seconds to wait (Retry-After). */
  take(key: string): number {
    return this.check(key, true);
  }

  /** Like take() without consuming: how long `key` would have to wait now. */
  waitS(key: string): number {
    return this.check(key, false);
  }

  private check(key: string, consume: boolean): number {
    if (this.ratePerS <= 0) return 0;
    const now = this.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedMs: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.ratePerS);
    bucket.updatedMs = now;
    if (!this.buckets.has(key) && this.buckets.size >= MAX_TRACKED_KEYS) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      if (consume) bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerS));
  }

  /** Forgets buckets that have refilled completely (they behave as new ones), so many addresses cost no memory. */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.ratePerS >= this.burst) this.buckets.delete(key);
    }
  }

  get trackedKeys(): number {
    return this.buckets.size;
  }
}
