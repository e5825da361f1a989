import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyStandardWebhook } from './signature.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const now = new Date('2026-05-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

function signed(payload: string, opts: { id?: string; ts?: number; key?: string } = {}) {
  const id = opts.id ?? 'msg_2Lh9KRb0pzN4LePd3XiA4xwJTFK';
  const ts = opts.ts ?? t;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': new Webhook(opts.key ?? secret).sign(id, new Date(ts * 1000), payload),
  };
}

describe('Standard Webhooks verification (Lithic)', () => {
  it('accepts what the reference library signs, for any payload', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^msg_[A-Za-z0-9]{1,30}$/), (payload, id) => {
        expect(verifyStandardWebhook(Buffer.from(payload), signed(payload, { id }), secret, now)).toBe(true);
      }),
    );
  });

  it('agrees with the reference library on what it accepts', () => {
    const payload = '{"token":"abc"}';
    const headers = signed(payload);
    // The reference verifier reads the real clock, so give it a fresh timestamp of its own.
    const fresh = signed(payload, { ts: Math.floor(Date.now() / 1000) });
    expect(() => new Webhook(secret).verify(payload, fresh)).not.toThrow();
    expect(verifyStandardWebhook(Buffer.from(payload), headers, secret, now)).toBe(true);
  });

  it('accepts any matching signature among several (secret rotation)', () => {
    const payload = '{"a":1}';
    const a = signed(payload, { key: `whsec_${Buffer.from('another-key-1234').toString('base64')}` });
    const b = signed(payload);
    const both = { ...b, 'webhook-signature': `${a['webhook-signature']} ${b['webhook-signature']}` };
    expect(verifyStandardWebhook(Buffer.from(payload), both, secret, now)).toBe(true);
  });

  it('rejects tampering, wrong secrets, stale or future timestamps and missing headers', () => {
    const payload = '{"amount":100}';
    const h = signed(payload);
    expect(verifyStandardWebhook(Buffer.from('{"amount":900}'), h, secret, now)).toBe(false);
    expect(
      verifyStandardWebhook(Buffer.from(payload), { ...h, 'webhook-id': 'msg_other' }, secret, now),
    ).toBe(false);
    expect(
      verifyStandardWebhook(Buffer.from(payload), signed(payload, { key: 'whsec_d3Jvbmc=' }), secret, now),
    ).toBe(false);
    expect(verifyStandardWebhook(Buffer.from(payload), signed(payload, { ts: t - 301 }), secret, now)).toBe(
      false,
    );
    expect(verifyStandardWebhook(Buffer.from(payload), signed(payload, { ts: t + 301 }), secret, now)).toBe(
      false,
    );
    expect(verifyStandardWebhook(Buffer.from(payload), signed(payload, { ts: t - 299 }), secret, now)).toBe(
      true,
    );
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _dropped, ...rest } = h;
      expect(verifyStandardWebhook(Buffer.from(payload), rest, secret, now)).toBe(false);
    }
    expect(
      verifyStandardWebhook(Buffer.from(payload), { ...h, 'webhook-signature': 'v2,abc' }, secret, now),
    ).toBe(false);
    expect(
      verifyStandardWebhook(Buffer.from(payload), { ...h, 'webhook-timestamp': '12ab' }, secret, now),
    ).toBe(false);
    expect(verifyStandardWebhook(Buffer.from(payload), h, 'whsec_', now)).toBe(false);
    expect(verifyStandardWebhook(Buffer.from(payload), h, 'not base64 !', now)).toBe(false);
  });
});
