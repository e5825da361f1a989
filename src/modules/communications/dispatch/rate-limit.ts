/**
 * A token bucket per tenant: at most `rate` sends a second, bursts up to one second's worth. In process: each
 * worker process holds its own buckets, so N processes send at most N × rate (the README says so).
 */
export class TenantRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number; rate: number }>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Takes a token: 0 when the send may go now, else the seconds to wait. */
  take(tenantId: string, rate: number): number {
    const now = this.clock();
    let b = this.#buckets.get(tenantId);
    if (!b) {
      b = { tokens: rate, at: now, rate };
      this.#buckets.set(tenantId, b);
    }
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / rate;
  }
}
