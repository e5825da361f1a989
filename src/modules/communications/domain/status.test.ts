import { describe, expect, it } from 'vitest';
import { advances, MESSAGE_STATUSES, retryDelaySeconds } from './status.js';

describe('message status', () => {
  it('moves forward only, and a final status is final', () => {
    expect(advances('sending', 'sent')).toBe(true);
    expect(advances('sending', 'delivered')).toBe(true);
    expect(advances('sent', 'delivered')).toBe(true);
    expect(advances('delivered', 'sent')).toBe(false);
    expect(advances('sent', 'sent')).toBe(false);
    for (const s of ['delivered', 'failed', 'bounced', 'undeliverable'] as const)
      for (const next of MESSAGE_STATUSES) expect(advances(s, next)).toBe(false);
  });

  it('backs off exponentially, capped, and never sooner than Retry-After', () => {
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a))).toEqual([2, 4, 8, 16]);
    expect(retryDelaySeconds(20)).toBe(300);
    expect(retryDelaySeconds(1, 30)).toBe(30);
  });
});
