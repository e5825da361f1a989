import { describe, expect, it } from 'vitest';
import { GARBAGE_BODIES } from '../../../../../sandbox/simulators/shared/card-client.js';
import type { ParseResult } from '../../domain/messages.js';
import { genericConfigSchema } from './config.js';
import { genericRelay as relay } from './relay.js';
import { plinthSignature, verifyPlinthSignature } from './signature.js';

const secret = 'k3y-0123456789abcdef0123456789abcdef';
const now = new Date('2026-05-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

const message = (over: Record<string, unknown> = {}) => ({
  type: 'authorization',
  id: 'msg_1',
  authorization_id: 'auth_1',
  amount: 4200,
  currency: 'EUR',
  card_id: 'card_abc',
  merchant: {
    id: 'MID-1',
    acquirer_id: 'ACQ-1',
    mcc: '5411',
    name: 'Marché',
    country: 'FRA',
    postal_code: '75001',
    city: 'Paris',
  },
  occurred_at: '2026-05-01T11:59:58Z',
  ...over,
});
const body = (o: unknown) => Buffer.from(JSON.stringify(o));
const ok = (r: ParseResult) => {
  if (!r.ok) throw new Error(`expected a message, got ${r.declineReason}: ${r.detail}`);
  return r.message;
};

describe('Plinth-Signature', () => {
  const raw = body(message());
  const header = (...sigs: string[]) => ({
    'plinth-signature': [`t=${t}`, ...sigs.map((s) => `v1=${s}`)].join(','),
  });

  it('accepts the documented scheme, and any v1 entry during a rotation', () => {
    const good = plinthSignature(secret, t, raw);
    expect(good).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyPlinthSignature(raw, header(good), secret, now)).toBe(true);
    expect(verifyPlinthSignature(raw, header(plinthSignature('old-secret', t, raw), good), secret, now)).toBe(
      true,
    );
  });

  it('matches an independently computed example', () => {
    // echo -n "1700000000.{}" | openssl dgst -sha256 -hmac secret
    expect(plinthSignature('secret', 1700000000, '{}')).toBe(
      'b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163',
    );
  });

  it('rejects tampering, wrong secrets, stale or future timestamps, and malformed headers', () => {
    const good = plinthSignature(secret, t, raw);
    expect(verifyPlinthSignature(Buffer.from(`${raw} `), header(good), secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, header(plinthSignature('other', t, raw)), secret, now)).toBe(false);
    const at = (ts: number) => ({ 'plinth-signature': `t=${ts},v1=${plinthSignature(secret, ts, raw)}` });
    expect(verifyPlinthSignature(raw, at(t - 301), secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, at(t + 301), secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, at(t - 300), secret, now)).toBe(true);
    expect(verifyPlinthSignature(raw, {}, secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, { 'plinth-signature': `v1=${good}` }, secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, { 'plinth-signature': `t=${t}` }, secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, { 'plinth-signature': `t=${t},v1=zz` }, secret, now)).toBe(false);
    // 64 characters, the last not a hex digit; and the right digest in upper case, which is still hex.
    const notHex = { 'plinth-signature': `t=${t},v1=${good.slice(0, 63)}g` };
    expect(verifyPlinthSignature(raw, notHex, secret, now)).toBe(false);
    expect(verifyPlinthSignature(raw, header(good.toUpperCase()), secret, now)).toBe(true);
    expect(verifyPlinthSignature(raw, { 'plinth-signature': `t=${t},v0=${good}` }, secret, now)).toBe(false);
    expect(relay.verify(raw, header(good), '', now)).toBe(false);
  });
});

describe('generic parse and respond', () => {
  it('maps an authorization', () => {
    expect(ok(relay.parse(body(message()), {}))).toMatchObject({
      kind: 'authorization',
      provider: 'generic',
      externalId: 'auth_1',
      messageId: 'msg_1',
      requiresDecision: true,
      amount: 4200,
      currency: 'EUR',
      cardId: 'card_abc',
      merchant: { merchantId: 'MID-1', acquirerId: 'ACQ-1', mcc: '5411', country: 'FRA', city: 'Paris' },
      occurredAt: '2026-05-01T11:59:58.000Z',
    });
  });

  it.each([
    ['incremental_authorization', true],
    ['reversal', false],
    ['clearing', false],
    ['refund', false],
    ['expiry', false],
  ])('maps type %s (decision needed: %s)', (type, needed) => {
    expect(ok(relay.parse(body(message({ type })), {}))).toMatchObject({
      kind: type,
      requiresDecision: needed,
    });
  });

  it('flags force posts only on clearings', () => {
    expect(ok(relay.parse(body(message({ type: 'clearing', force_post: true })), {})).forcePost).toBe(true);
    expect(ok(relay.parse(body(message({ force_post: true })), {})).forcePost).toBe(false);
  });

  it.each([
    [{ amount: 0 }, 'invalid_amount'],
    [{ amount: -100 }, 'invalid_amount'],
    [{ amount: '42.00' }, 'invalid_amount'],
    [{ currency: 'EURO' }, 'invalid_currency'],
    [{ card_id: '' }, 'unknown_card'],
    [{ card_id: 'card with spaces' }, 'unknown_card'],
    [{ id: null }, 'invalid_request'],
    [{ type: 'capture' }, 'invalid_request'],
    [{ occurred_at: 'now' }, 'invalid_request'],
    [{ merchant: { id: 'M', mcc: '5411', country: 'FR' } }, 'invalid_merchant'],
    [{ merchant: null }, 'invalid_merchant'],
  ])('declines %o with %s', (over, reason) => {
    const r = relay.parse(body(message(over)), {});
    expect(r).toMatchObject({ ok: false, declineReason: reason });
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, r).body).toMatchObject({
      decision: 'declined',
      reason,
      approved_amount: 0,
    });
  });

  it.each(Object.entries(GARBAGE_BODIES))('declines garbage body %s', (_name, raw) => {
    const r = relay.parse(Buffer.from(raw), {});
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, r).body).toMatchObject({
      decision: 'declined',
    });
  });

  it('answers approvals, partial approvals, declines, notifications and fallbacks', () => {
    const auth = relay.parse(body(message({ partial_allowed: true })), {});
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, auth)).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { decision: 'approved', reason: 'approved', approved_amount: 4200, authorization_id: 'auth_1' },
    });
    expect(
      relay.respond({ approved: true, reasonCode: 'approved', approvedAmount: 1000 }, auth).body,
    ).toMatchObject({
      decision: 'approved',
      approved_amount: 1000,
    });
    expect(relay.respond({ approved: false, reasonCode: 'no_line_of_credit' }, auth).body).toMatchObject({
      decision: 'declined',
      reason: 'no_line_of_credit',
      approved_amount: 0,
    });
    expect(
      relay.respond(
        { approved: true, reasonCode: 'approved' },
        relay.parse(body(message({ type: 'clearing' })), {}),
      ).body,
    ).toEqual({
      received: true,
    });
    expect(relay.fallbackResponse({ fallback: 'approve' }, auth).body).toMatchObject({
      decision: 'approved',
      reason: 'timeout_fallback',
    });
  });

  it('requires a long secret in its config', () => {
    expect(genericConfigSchema.safeParse({ webhook_secret: 'short' }).success).toBe(false);
    expect(genericConfigSchema.parse({ webhook_secret: secret })).toMatchObject({
      deadline_ms: 1500,
      fallback: 'decline',
    });
  });
});
