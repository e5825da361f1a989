import { describe, expect, it } from 'vitest';
import { TenantRateLimiter } from './rate-limit.js';

describe('TenantRateLimiter', () => {
  it('lets a second’s worth through, then makes the next wait, per tenant', () => {
    let now = 0;
    const limiter = new TenantRateLimiter(() => now);
    for (let i = 0; i < 5; i++) expect(limiter.take('a', 5)).toBe(0);
    expect(limiter.take('a', 5)).toBeCloseTo(0.2);
    expect(limiter.take('b', 5)).toBe(0);
    now += 200;
    expect(limiter.take('a', 5)).toBe(0);
    expect(limiter.take('a', 5)).toBeGreaterThan(0);
  });
});
