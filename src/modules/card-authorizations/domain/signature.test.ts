import { describe, expect, it } from 'vitest';
import { isFresh, SIGNATURE_TOLERANCE_SECONDS, signedAt } from './signature.js';

const now = new Date('2026-05-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('the signature timestamp rule every relay shares', () => {
  it('accepts a timestamp within five minutes of the clock, in either direction, and nothing else', () => {
    expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
    for (const d of [0, 1, -1, 300, -300]) expect(isFresh(t + d, now)).toBe(true);
    for (const d of [301, -301, 86_400, -86_400]) expect(isFresh(t + d, now)).toBe(false);
    expect(isFresh(Number.NaN, now)).toBe(false);
    expect(isFresh(t + 0.5, now)).toBe(false);
  });

  it('reads the t= of a t=<seconds>,v1=… header', () => {
    expect(signedAt(`t=${t},v1=abc,v0=def`)).toBe(t);
    expect(signedAt(`v1=abc, t=${t}`)).toBe(t);
    for (const bad of ['v1=abc', 't=', 't=12ab,v1=x', 't=1234567890123,v1=x', ''])
      expect(signedAt(bad)).toBeUndefined();
  });
});
