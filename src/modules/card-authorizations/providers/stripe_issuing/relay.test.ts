import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { GARBAGE_BODIES } from '../../../../../sandbox/simulators/shared/card-client.js';
import {
  authorizationObject,
  eventEnvelope,
  newAuthorization,
  transactionObject,
} from '../../../../../sandbox/simulators/stripe-issuing/objects.js';
import type { ParseResult } from '../../domain/messages.js';
import { stripeIssuingConfigSchema } from './config.js';
import { stripeIssuingRelay as relay } from './relay.js';

// An endpoint signing secret as Stripe's Dashboard shows one: whsec_ and 32 letters and digits.
const secret = 'whsec_7PrOa8KqQaO3OsJJgTW2JThYDXITwZz7';
const now = new Date('2026-05-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

const sign = (payload: string, timestamp = t, key = secret) => ({
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: key, timestamp }),
});
const body = (o: unknown) => Buffer.from(JSON.stringify(o));
const requestEvent = (amount = 1250, partial = false) => {
  const a = newAuthorization({ amount, mcc: '5411', country: 'FR', partialAllowed: partial });
  return { a, event: eventEnvelope('issuing_authorization.request', authorizationObject(a, amount)) };
};
const ok = (r: ParseResult) => {
  if (!r.ok) throw new Error(`expected a message, got ${r.declineReason}: ${r.detail}`);
  return r.message;
};

describe('stripe_issuing verify', () => {
  const payload = JSON.stringify(requestEvent().event);

  it('accepts a fresh signature made with the secret', () => {
    expect(relay.verify(Buffer.from(payload), sign(payload), secret, now)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, a stale or future timestamp and a missing header', () => {
    expect(relay.verify(Buffer.from(`${payload} `), sign(payload), secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), sign(payload, t, 'whsec_other'), secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), sign(payload, t - 301), secret, now)).toBe(false);
    // One rule for every relay: a timestamp from the future is refused like a stale one.
    expect(relay.verify(Buffer.from(payload), sign(payload, t + 301), secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), sign(payload, t + 3_600), secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), sign(payload, t + 299), secret, now)).toBe(true);
    expect(relay.verify(Buffer.from(payload), {}, secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), { 'stripe-signature': 'garbage' }, secret, now)).toBe(false);
    expect(relay.verify(Buffer.from(payload), sign(payload), '', now)).toBe(false);
  });
});

describe('stripe_issuing parse', () => {
  it('maps an authorization request, converting the country and upper-casing the currency', () => {
    const { a, event } = requestEvent(1250);
    const m = ok(relay.parse(body(event), {}));
    expect(m).toMatchObject({
      kind: 'authorization',
      provider: 'stripe_issuing',
      externalId: a.id,
      messageId: `${a.id}:request:0`,
      requiresDecision: true,
      amount: 1250,
      currency: 'USD',
      cardId: a.cardId,
      isPartialAllowed: false,
      merchant: {
        merchantId: '1234567890',
        acquirerId: '000000123456',
        mcc: '5411',
        name: 'Rocket Rides Grocery',
        country: 'FRA',
        postalCode: '94103',
        city: 'San Francisco',
      },
    });
    expect(m.extras).toMatchObject({ stripeCategory: 'grocery_stores_supermarkets', eventId: event.id });
  });

  it('falls back to the category table when category_code is missing', () => {
    const { event } = requestEvent();
    const md = (event.data as { object: { merchant_data: Record<string, unknown> } }).object.merchant_data;
    md.category_code = null;
    md.category = 'fast_food_restaurants';
    expect(ok(relay.parse(body(event), {})).merchant.mcc).toBe('5814');
  });

  it('names a request by its authorization and its step in request_history, not by its event', () => {
    const a = newAuthorization({ amount: 1000, cardId: 'ic_abc' });
    const first = ok(
      relay.parse(body(eventEnvelope('issuing_authorization.request', authorizationObject(a, 1000))), {}),
    );
    const again = ok(
      relay.parse(body(eventEnvelope('issuing_authorization.request', authorizationObject(a, 1000))), {}),
    );
    expect(first.messageId).toBe(`${a.id}:request:0`);
    expect(again.messageId).toBe(first.messageId);
    expect(first.extras.eventId).not.toBe(again.extras.eventId);
    a.requestHistory.push({ amount: 1000, approved: true });
    const next = ok(
      relay.parse(body(eventEnvelope('issuing_authorization.request', authorizationObject(a, 300))), {}),
    );
    expect(next.messageId).toBe(`${a.id}:request:1`);
  });

  it('reads a request on an authorization with history as incremental', () => {
    const a = newAuthorization({ amount: 1000 });
    a.amount = 1000;
    a.requestHistory.push({ amount: 1000, approved: true });
    const event = eventEnvelope('issuing_authorization.request', authorizationObject(a, 300));
    expect(ok(relay.parse(body(event), {}))).toMatchObject({
      kind: 'incremental_authorization',
      amount: 300,
    });
  });

  it('maps partial and full reversals, expiry and the created advice', () => {
    const a = newAuthorization({ amount: 1000 });
    a.amount = 600;
    const partial = eventEnvelope('issuing_authorization.updated', authorizationObject(a), {
      previousAttributes: { amount: 1000 },
    });
    expect(ok(relay.parse(body(partial), {}))).toMatchObject({
      kind: 'reversal',
      amount: 400,
      requiresDecision: false,
    });

    a.amount = 0;
    a.status = 'reversed';
    const full = eventEnvelope('issuing_authorization.updated', authorizationObject(a), {
      previousAttributes: { amount: 600, status: 'pending' },
    });
    expect(ok(relay.parse(body(full), {}))).toMatchObject({ kind: 'reversal', amount: 600 });

    a.status = 'expired';
    const expired = eventEnvelope('issuing_authorization.updated', authorizationObject(a), {
      previousAttributes: { amount: 250, status: 'pending' },
    });
    expect(ok(relay.parse(body(expired), {}))).toMatchObject({ kind: 'expiry', amount: 250 });

    // Closed after a capture for less than was held: the rest of the hold is dropped.
    a.status = 'closed';
    const closed = eventEnvelope('issuing_authorization.updated', authorizationObject(a), {
      previousAttributes: { amount: 150, status: 'pending' },
    });
    expect(ok(relay.parse(body(closed), {}))).toMatchObject({ kind: 'expiry', amount: 150 });

    a.status = 'pending';
    a.amount = 1000;
    a.approved = true;
    const created = eventEnvelope('issuing_authorization.created', authorizationObject(a));
    expect(ok(relay.parse(body(created), {}))).toMatchObject({
      kind: 'advice',
      amount: 1000,
      extras: { approved: true },
    });
  });

  it('normalizes Stripe transaction signs: captures are negative on the wire, refunds positive', () => {
    const a = newAuthorization({ amount: 1000 });
    const base = { currency: 'usd', cardId: a.cardId, merchantData: a.merchantData };
    const capture = transactionObject({ ...base, type: 'capture', amount: 900, authorizationId: a.id });
    expect(capture.amount).toBe(-900);
    const m = ok(relay.parse(body(eventEnvelope('issuing_transaction.created', capture)), {}));
    expect(m).toMatchObject({
      kind: 'clearing',
      amount: 900,
      externalId: a.id,
      forcePost: false,
      settlementId: capture.id,
    });

    const force = transactionObject({ ...base, type: 'capture', amount: 500, authorizationId: null });
    expect(ok(relay.parse(body(eventEnvelope('issuing_transaction.created', force)), {}))).toMatchObject({
      kind: 'clearing',
      forcePost: true,
      externalId: force.id,
    });

    const refund = transactionObject({ ...base, type: 'refund', amount: 200, authorizationId: a.id });
    expect(ok(relay.parse(body(eventEnvelope('issuing_transaction.created', refund)), {}))).toMatchObject({
      kind: 'refund',
      amount: 200,
      forcePost: false,
    });

    // A capture with Stripe's sign inverted is an anomaly, not a refund.
    const wrongSign = { ...capture, amount: 900 };
    const r = relay.parse(body(eventEnvelope('issuing_transaction.created', wrongSign)), {});
    expect(r).toMatchObject({ ok: false, declineReason: 'invalid_amount', requiresDecision: false });
  });

  it.each(Object.entries(GARBAGE_BODIES))('declines garbage body %s without throwing', (_name, raw) => {
    const r = relay.parse(Buffer.from(raw), {});
    expect(r.ok).toBe(false);
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, r).body).toMatchObject({
      approved: false,
    });
  });

  it.each([
    [
      'zero amount',
      (o: Record<string, unknown>) => Object.assign(o.pending_request as object, { amount: 0 }),
      'invalid_amount',
    ],
    [
      'negative amount',
      (o: Record<string, unknown>) => Object.assign(o.pending_request as object, { amount: -5 }),
      'invalid_amount',
    ],
    [
      'unknown currency',
      (o: Record<string, unknown>) => Object.assign(o.pending_request as object, { currency: 'zzz' }),
      'invalid_currency',
    ],
    [
      'bad card id',
      (o: Record<string, unknown>) => Object.assign(o, { card: { id: 'card_123' } }),
      'unknown_card',
    ],
    ['missing card', (o: Record<string, unknown>) => Object.assign(o, { card: null }), 'unknown_card'],
    [
      'unknown country',
      (o: Record<string, unknown>) => Object.assign(o.merchant_data as object, { country: 'ZZ' }),
      'invalid_merchant',
    ],
    [
      'no pending request',
      (o: Record<string, unknown>) => Object.assign(o, { pending_request: null }),
      'invalid_request',
    ],
  ])('declines a request with %s', (_name, mutate, reason) => {
    const { event } = requestEvent();
    mutate((event.data as { object: Record<string, unknown> }).object);
    const r = relay.parse(body(event), {});
    expect(r).toMatchObject({ ok: false, declineReason: reason, requiresDecision: true });
  });

  it('acknowledges event types it does not handle', () => {
    const r = relay.parse(body(eventEnvelope('issuing_card.created', { id: 'ic_1' })), {});
    expect(r).toMatchObject({ ok: false, declineReason: 'unsupported_message', requiresDecision: false });
    expect(relay.respond({ approved: false, reasonCode: 'unsupported_message' }, r)).toMatchObject({
      status: 200,
      body: { received: true },
    });
  });
});

describe('stripe_issuing respond', () => {
  it('answers with 200, the event API version and a Boolean approved', () => {
    const { event } = requestEvent();
    const parsed = relay.parse(body({ ...event, api_version: '2025-03-31.basil' }), {});
    expect(relay.respond({ approved: true, reasonCode: 'approved' }, parsed)).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'Stripe-Version': '2025-03-31.basil' },
      body: { approved: true, metadata: { plinth_reason: 'approved' } },
    });
  });

  it('sends an amount only for a partial approval of a controllable amount', () => {
    const partial = { approved: true, reasonCode: 'approved', approvedAmount: 700 } as const;
    const controllable = relay.parse(body(requestEvent(1000, true).event), {});
    expect(relay.respond(partial, controllable).body).toMatchObject({ approved: true, amount: 700 });
    const fixed = relay.parse(body(requestEvent(1000, false).event), {});
    expect(relay.respond(partial, fixed).body).toEqual({
      approved: false,
      metadata: { plinth_reason: 'insufficient_credits' },
    });
  });

  it('falls back as configured, and uses the SDK version when the event has none', () => {
    const { event } = requestEvent();
    const parsed = relay.parse(body({ ...event, api_version: null }), {});
    const approve = relay.fallbackResponse({ fallback: 'approve' }, parsed);
    expect(approve.headers['Stripe-Version']).toBe(Stripe.API_VERSION);
    expect(approve.body).toMatchObject({ approved: true, metadata: { plinth_reason: 'timeout_fallback' } });
    expect(relay.fallbackResponse({ fallback: 'decline' }, parsed).body).toMatchObject({ approved: false });
  });
});

describe('stripe_issuing config', () => {
  it('defaults the deadline and the fallback, and keeps the deadline under Stripe’s 2 s', () => {
    expect(stripeIssuingConfigSchema.parse({ webhook_secret: secret })).toEqual({
      webhook_secret: secret,
      deadline_ms: 1500,
      fallback: 'decline',
      hold_expiry_days: 31,
    });
    expect(stripeIssuingConfigSchema.safeParse({ webhook_secret: secret, deadline_ms: 2500 }).success).toBe(
      false,
    );
  });

  it('takes only a real endpoint signing secret: whsec_ and at least 32 letters or digits', () => {
    // The Stripe CLI's secrets are longer: whsec_ and 64 hex digits.
    expect(
      stripeIssuingConfigSchema.safeParse({ webhook_secret: `whsec_${'ab01'.repeat(16)}` }).success,
    ).toBe(true);
    for (const weak of [
      'whsec_',
      'whsec_x',
      `whsec_${'a'.repeat(31)}`,
      'sk_live_x',
      `whsec_${'a'.repeat(31)}!`,
    ]) {
      const r = stripeIssuingConfigSchema.safeParse({ webhook_secret: weak });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['webhook_secret']);
    }
  });
});
