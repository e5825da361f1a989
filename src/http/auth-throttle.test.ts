import { describe, expect, it } from 'vitest';
import { AuthThrottle, sourceOf } from './auth-throttle.js';

describe('AuthThrottle', () => {
  it('refuses a source that reached the limit until its window ends, whatever it presents', () => {
    let now = 1_000_000;
    const t = new AuthThrottle({ limit: 3, windowMs: 60_000 }, () => now);
    expect(t.failed('1.2.3.4')).toBe(0);
    now += 10_000;
    expect(t.failed('1.2.3.4')).toBe(0);
    expect(t.retryAfter('1.2.3.4')).toBe(0);
    expect(t.failed('1.2.3.4')).toBe(50);
    expect(t.retryAfter('1.2.3.4')).toBe(50);
    expect(t.retryAfter('5.6.7.8')).toBe(0);
    now += 49_500;
    expect(t.retryAfter('1.2.3.4')).toBe(1);
    now += 500;
    expect(t.retryAfter('1.2.3.4')).toBe(0);
    // A new window starts with the next failure.
    expect(t.failed('1.2.3.4')).toBe(0);
  });

  it('takes blocks decided elsewhere, and tells of every failure', () => {
    const told: string[] = [];
    const t = new AuthThrottle(
      { limit: 100, windowMs: 60_000 },
      () => 0,
      (s) => told.push(s),
    );
    t.failed('a');
    t.block('b', 30_000);
    expect(t.retryAfter('b')).toBe(30);
    expect(told).toEqual(['a']);
  });
});

describe('sourceOf', () => {
  it('counts IPv4 by address and IPv6 by /64', () => {
    expect(sourceOf('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
  });
});
