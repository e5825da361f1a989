/**
 * A token bucket per tenant: at most `rate` sends a second, bursts up to one second's worth. In process: each
 * worker process holds its own buckets, so N processes send at most N × rate (the README says so).
 */
export class TenantRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Takes up to `want` tokens: how many were granted, and when none were, the seconds until one is. */
  take(tenantId: string, rate: number, want = 1): { granted: number; waitSeconds: number } {
    const now = this.clock();
    let b = this.#buckets.get(tenantId);
    if (!b) {
      b = { tokens: rate, at: now };
      this.#buckets.set(tenantId, b);
    }
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    const granted = Math.min(want, Math.floor(b.tokens));
    b.tokens -= granted;
    return { granted, waitSeconds: granted > 0 ? 0 : (1 - b.tokens) / rate };
  }

  /** Gives back tokens taken for sends that did not happen (fewer messages were waiting). */
  refund(tenantId: string, n: number): void {
    const b = this.#buckets.get(tenantId);
    if (b) b.tokens += n;
  }
}
