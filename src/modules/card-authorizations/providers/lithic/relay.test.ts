import { describe, expect, it } from 'vitest';
import {
  asaRequest,
  newTransaction,
  transactionEvent,
  transactionUpdated,
} from '../../../../../sandbox/simulators/lithic/objects.js';
import { GARBAGE_BODIES } from '../../../../../sandbox/simulators/shared/card-client.js';
import type { ParseResult } from '../../domain/messages.js';
import { lithicConfigSchema } from './config.js';
import { lithicRelay as relay } from './relay.js';

/** A secret as Lithic issues them (Standard Webhooks): whsec_ and 32 random bytes in base64. */
const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const headers = { 'webhook-id': 'msg_abc', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };
const body = (o: unknown) => Buffer.from(JSON.stringify(o));
const ok = (r: ParseResult) => {
  if (!r.ok) throw new Error(`expected a message, got ${r.declineReason}: ${r.detail}`);
  return r.message;
};

describe('lithic parse: ASA requests', () => {
  it('maps an authorization, using the cardholder amount and the webhook-id as message id', () => {
    const t = newTransaction({ amount: 1234, mcc: '5812', country: 'CAN', partialAllowed: true });
    const m = ok(relay.parse(body(asaRequest(t, 1234)), headers));
    expect(m).toMatchObject({
      kind: 'authorization',
      provider: 'lithic',
      externalId: t.token,
      messageId: 'msg_abc',
      requiresDecision: true,
      amount: 1234,
      currency: 'USD',
      cardId: t.cardToken,
      isPartialAllowed: true,
      singleMessage: false,
      merchant: {
        merchantId: '174030075991',
        acquirerId: '191231',
        mcc: '5812',
        name: 'COFFEE SHOP',
        country: 'CAN',
        postalCode: '10001',
        city: 'NEW YORK',
      },
      extras: { channel: 'asa', lithicStatus: 'AUTHORIZATION' },
    });
  });

  it('falls back to event_token without a webhook-id, and to the deprecated flat amounts', () => {
    const t = newTransaction({ amount: 500 });
    const req = asaRequest(t, 500);
    delete req.amounts;
    const m = ok(relay.parse(body(req), {}));
    expect(m.messageId).toBe(req.event_token);
    expect(m).toMatchObject({ amount: 500, currency: 'USD' });
  });

  it.each([
    ['FINANCIAL_AUTHORIZATION', 'authorization', true],
    ['CREDIT_AUTHORIZATION', 'refund', false],
    ['FINANCIAL_CREDIT_AUTHORIZATION', 'refund', true],
  ])('maps status %s to %s (single message: %s)', (status, kind, single) => {
    const m = ok(relay.parse(body(asaRequest(newTransaction({ amount: 10 }), 700, status)), headers));
    expect(m).toMatchObject({ kind, singleMessage: single, requiresDecision: true, amount: 700 });
  });

  it('allows a zero-amount balance inquiry, and reads an ASA with prior events as incremental', () => {
    const t = newTransaction({ amount: 0 });
    expect(ok(relay.parse(body(asaRequest(t, 0, 'BALANCE_INQUIRY')), headers)).kind).toBe('balance_inquiry');
    t.events.push(transactionEvent('AUTHORIZATION', 1000, 'USD', 'DEBIT'));
    expect(ok(relay.parse(body(asaRequest(t, 250)), headers))).toMatchObject({
      kind: 'incremental_authorization',
      amount: 250,
      externalId: t.token,
    });
  });

  it('maps QZZ (Lithic’s Kosovo) to XKX', () => {
    const t = newTransaction({ amount: 10 });
    t.merchant.country = 'QZZ';
    expect(ok(relay.parse(body(asaRequest(t, 10)), headers)).merchant.country).toBe('XKX');
  });

  it.each([
    [
      'zero amount',
      (r: Record<string, unknown>) => Object.assign(r, { amounts: null, amount: 0, authorization_amount: 0 }),
      'invalid_amount',
    ],
    [
      'negative amount',
      (r: Record<string, unknown>) => Object.assign(r, { amounts: null, authorization_amount: -100 }),
      'invalid_amount',
    ],
    [
      'unknown currency',
      (r: Record<string, unknown>) => Object.assign(r, { amounts: null, cardholder_currency: 'ABC' }),
      'invalid_currency',
    ],
    [
      'card token not a UUID',
      (r: Record<string, unknown>) => Object.assign(r.card as object, { token: 'card_1' }),
      'unknown_card',
    ],
    ['no card', (r: Record<string, unknown>) => Object.assign(r, { card: null }), 'unknown_card'],
    [
      'alpha-2 country',
      (r: Record<string, unknown>) => Object.assign(r.merchant as object, { country: 'US' }),
      'invalid_merchant',
    ],
    [
      'no MCC',
      (r: Record<string, unknown>) => Object.assign(r.merchant as object, { mcc: '' }),
      'invalid_merchant',
    ],
    [
      'unknown status',
      (r: Record<string, unknown>) => Object.assign(r, { status: 'MYSTERY' }),
      'invalid_request',
    ],
    ['no token', (r: Record<string, unknown>) => Object.assign(r, { token: null }), 'invalid_request'],
  ])('declines an ASA request with %s', (_name, mutate, reason) => {
    const req = asaRequest(newTransaction({ amount: 100 }), 100);
    mutate(req);
    const r = relay.parse(body(req), headers);
    expect(r).toMatchObject({ ok: false, declineReason: reason, requiresDecision: true });
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, r).body).not.toMatchObject({
      result: 'APPROVED',
    });
  });

  it.each(Object.entries(GARBAGE_BODIES))('declines garbage body %s without throwing', (_name, raw) => {
    const r = relay.parse(Buffer.from(raw), headers);
    expect(r.ok).toBe(false);
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, r)).toMatchObject({
      status: 200,
      body: { result: 'UNAUTHORIZED_MERCHANT' },
    });
  });
});

describe('lithic parse: transaction events', () => {
  const withEvents = (...types: [string, number, 'DEBIT' | 'CREDIT'][]) => {
    const t = newTransaction({ amount: 1000, country: 'USA' });
    for (const [type, amount, polarity] of types)
      t.events.push(transactionEvent(type, amount, 'USD', polarity));
    return t;
  };

  it.each([
    ['CLEARING', 'clearing'],
    ['AUTHORIZATION_REVERSAL', 'reversal'],
    ['AUTHORIZATION_EXPIRY', 'expiry'],
    ['RETURN', 'refund'],
    ['RETURN_REVERSAL', 'clearing'],
    ['CORRECTION_CREDIT', 'refund'],
    ['AUTHORIZATION_ADVICE', 'advice'],
  ])('maps the latest event %s to %s', (type, kind) => {
    const t = withEvents(['AUTHORIZATION', 1000, 'DEBIT'], [type, 400, 'CREDIT']);
    const last = t.events.at(-1)!;
    const m = ok(relay.parse(body(transactionUpdated(t, 'PENDING')), headers));
    expect(m).toMatchObject({
      kind,
      amount: 400,
      externalId: t.token,
      messageId: last.token,
      requiresDecision: false,
    });
    expect(
      relay.respond(
        { approved: true, reasonCode: 'approved' },
        relay.parse(body(transactionUpdated(t, 'PENDING')), headers),
      ),
    ).toMatchObject({
      body: { received: true },
    });
  });

  it('flags a clearing without any authorization as a force post, and normalizes negative amounts', () => {
    const force = withEvents(['CLEARING', -900, 'DEBIT']);
    expect(ok(relay.parse(body(transactionUpdated(force, 'SETTLED')), headers))).toMatchObject({
      kind: 'clearing',
      amount: 900,
      forcePost: true,
      settlementId: force.events[0]!.token,
    });
    const normal = withEvents(['AUTHORIZATION', 900, 'DEBIT'], ['CLEARING', 900, 'DEBIT']);
    expect(ok(relay.parse(body(transactionUpdated(normal, 'SETTLED')), headers)).forcePost).toBe(false);
  });

  it('gives up cleanly on a transaction without events or of an unhandled event type', () => {
    const t = newTransaction({ amount: 1 });
    expect(relay.parse(body(transactionUpdated(t, 'PENDING')), headers)).toMatchObject({
      ok: false,
      requiresDecision: false,
    });
    expect(relay.parse(body({ event_type: 'card.created', token: 'x' }), headers)).toMatchObject({
      ok: false,
      declineReason: 'unsupported_message',
    });
  });
});

describe('lithic respond', () => {
  const parsed = (partial: boolean) =>
    relay.parse(body(asaRequest(newTransaction({ amount: 1000, partialAllowed: partial }), 1000)), headers);

  it('approves with the token and no amount, partially approves when the terminal can', () => {
    const p = parsed(true);
    const token = p.ok ? p.message.externalId : '';
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, p).body).toEqual({
      result: 'APPROVED',
      token,
    });
    expect(relay.respond({ approved: true, reasonCode: 'approved', approvedAmount: 600 }, p).body).toEqual({
      result: 'APPROVED',
      token,
      approved_amount: 600,
    });
    expect(
      relay.respond({ approved: true, reasonCode: 'approved', approvedAmount: 600 }, parsed(false)).body,
    ).toMatchObject({
      result: 'INSUFFICIENT_FUNDS',
    });
  });

  it.each([
    ['insufficient_credits', 'INSUFFICIENT_FUNDS'],
    ['card_inactive', 'CARD_PAUSED'],
    ['no_category', 'UNAUTHORIZED_MERCHANT'],
    ['resolver_failed', 'UNAUTHORIZED_MERCHANT'],
  ] as const)('declines %s as %s', (reasonCode, result) => {
    expect(relay.respond({ approved: false, reasonCode }, parsed(false)).body).toMatchObject({ result });
  });

  it('falls back as configured', () => {
    expect(relay.fallbackResponse({ fallback: 'approve' }, parsed(false)).body).toMatchObject({
      result: 'APPROVED',
    });
    expect(relay.fallbackResponse({ fallback: 'decline' }, parsed(false)).body).toMatchObject({
      result: 'UNAUTHORIZED_MERCHANT',
    });
  });

  it('has a config with defaults and a deadline under the ASA timeout', () => {
    expect(lithicConfigSchema.parse({ webhook_secret: secret })).toEqual({
      webhook_secret: secret,
      deadline_ms: 1500,
      fallback: 'decline',
      hold_expiry_days: 31,
    });
    expect(lithicConfigSchema.safeParse({ webhook_secret: secret, deadline_ms: 5000 }).success).toBe(false);
  });

  it('takes only Standard Webhooks secrets: whsec_ and 24 to 64 random bytes in base64', () => {
    const of = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    for (const good of [of(24), of(32), of(64)])
      expect(
        lithicConfigSchema.safeParse({ webhook_secret: good, events_webhook_secret: good }).success,
      ).toBe(true);
    for (const weak of ['x', 'whsec_', 'whsec_abc', of(23), of(65), Buffer.alloc(32, 7).toString('base64')]) {
      for (const field of ['webhook_secret', 'events_webhook_secret']) {
        const r = lithicConfigSchema.safeParse({ webhook_secret: secret, [field]: weak });
        expect(r.success).toBe(false);
        expect(r.error?.issues[0]?.path).toEqual([field]);
      }
    }
  });
});
