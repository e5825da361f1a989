import { describe, expect, it } from 'vitest';
import { TenantRateLimiter } from './rate-limit.js';

describe('TenantRateLimiter', () => {
  it('grants a second’s worth, then makes the next wait, per tenant', () => {
    let now = 0;
    const limiter = new TenantRateLimiter(() => now);
    expect(limiter.take('a', 5, 3)).toEqual({ granted: 3, waitSeconds: 0 });
    expect(limiter.take('a', 5, 10)).toEqual({ granted: 2, waitSeconds: 0 });
    expect(limiter.take('a', 5).granted).toBe(0);
    expect(limiter.take('a', 5).waitSeconds).toBeCloseTo(0.2);
    expect(limiter.take('b', 5).granted).toBe(1);
    now += 400;
    expect(limiter.take('a', 5, 10).granted).toBe(2);
    limiter.refund('a', 1);
    expect(limiter.take('a', 5, 10).granted).toBe(1);
  });
});
