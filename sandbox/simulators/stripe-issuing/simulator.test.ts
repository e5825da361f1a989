import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type PlinthRelay, startPlinthRelay } from '../shared/plinth-relay.js';
import { authorizationObject, eventEnvelope, newAuthorization } from './objects.js';
import { newStripeSecret, StripeIssuingSimulator, sendAuthorization, sendGarbage } from './simulator.js';

const secret = newStripeSecret();

let plinth: PlinthRelay;
let sim: StripeIssuingSimulator;

beforeAll(async () => {
  plinth = await startPlinthRelay({
    provider: 'stripe_issuing',
    // A deadline well above what a decision takes on a loaded machine; the fallback test stalls past it.
    config: { webhook_secret: secret, deadline_ms: 1_000 },
    // Restaurants (5812) belong to no category: declined.
    rules: [{ category_code: 'all', mcc: ['0000-5811', '5813-9999'] }],
  });
  sim = new StripeIssuingSimulator({ targetUrl: plinth.relayUrl, secret });
  await plinth.card('ic_rich', 1_000_000);
});
afterAll(() => plinth.close());

describe('Stripe Issuing simulator ↔ Plinth relay', () => {
  it('round-trips an approved authorization with a valid answer', async () => {
    const res = await sendAuthorization(plinth.relayUrl, secret, {
      amount: 800,
      mcc: '5411',
      country: 'DE',
      cardId: 'ic_rich',
    });
    expect(res.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 800 });
    expect(res.headers['stripe-version']).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'authorization',
      amount: 800,
      merchantCountry: 'DEU',
      requestStatus: 'approved',
    });
  });

  it('round-trips a decline', async () => {
    const res = await sim.authorize({ amount: 500, mcc: '5812', cardId: 'ic_rich' });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toEqual({ approved: false, metadata: { plinth_reason: 'no_category' } });
  });

  it('partially approves a controllable amount and declines a fixed one', async () => {
    await plinth.card('ic_thousand', 1000);
    const fixed = await sim.authorize({ amount: 1500, partialAllowed: false, cardId: 'ic_thousand' });
    expect(fixed.verdict).toMatchObject({ ok: true, approved: false });
    expect(fixed.body).toMatchObject({ metadata: { plinth_reason: 'insufficient_credits' } });
    const partial = await sim.authorize({ amount: 1500, partialAllowed: true, cardId: 'ic_thousand' });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 1000 });
    expect(partial.authorization.amount).toBe(1000);
  });

  it('answers with the fallback when the decision misses the deadline', async () => {
    plinth.stall(2_500);
    const res = await sim.authorize({ amount: 4242, cardId: 'ic_rich' });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toMatchObject({ metadata: { plinth_reason: 'timeout_fallback' } });
    expect(res.latencyMs).toBeLessThan(2_000);
    await plinth.settled();
    expect(await plinth.lastMessage()).toMatchObject({
      amount: 4242,
      approved: false,
      reasonCode: 'timeout_fallback',
    });
  });

  it('answers a request sent again under a new event id with the same answer, and holds it once', async () => {
    // Issue 16, item 16: Stripe's request_history says which request of the authorization this is.
    const { lineIds } = await plinth.card('ic_twice', 10_000);
    const a = newAuthorization({ amount: 700, mcc: '5411', cardId: 'ic_twice' });
    const sendRequest = async (amount: number) => {
      const event = eventEnvelope('issuing_authorization.request', authorizationObject(a, amount));
      const { res } = await sim.sendRaw(JSON.stringify(event));
      return { eventId: event.id, status: res.status, body: JSON.parse(res.text) };
    };
    const before = await plinth.messageCount();
    const first = await sendRequest(700);
    const again = await sendRequest(700);
    expect(again.eventId).not.toBe(first.eventId);
    expect(first.body).toMatchObject({ approved: true });
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(await plinth.expensed(lineIds[0]!)).toBe(700);
    expect(await plinth.messageCount()).toBe(before + 1);

    // The next step (an increment) is a new request; sent twice, it too is held once.
    a.requestHistory.push({ amount: 700, approved: true });
    a.amount = 700;
    const increment = await sendRequest(9_000);
    const incrementAgain = await sendRequest(9_000);
    expect(increment.body).toMatchObject({ approved: true });
    expect(incrementAgain.body).toEqual(increment.body);
    expect(await plinth.expensed(lineIds[0]!)).toBe(9_700);
    expect(await plinth.messageCount()).toBe(before + 2);
  });

  it('carries a whole lifecycle: incremental, partial reversal, capture, refund, expiry', async () => {
    const { lineIds } = await plinth.card('ic_life', 100_000);
    const auth = await sim.authorize({ amount: 600, cardId: 'ic_life' });
    const a = auth.authorization;
    expect(auth.verdict.approved).toBe(true);

    const inc = await sim.increment(a, 300);
    expect(inc.verdict).toMatchObject({ ok: true, approved: true });
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'incremental_authorization',
      amount: 300,
      externalId: a.id,
    });
    expect(a.amount).toBe(900);

    expect((await sim.advise(a)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'advice', amount: 900 });

    expect((await sim.reverse(a, 200)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'reversal', amount: 200, approved: true });

    expect((await sim.capture(a)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 700,
      externalId: a.id,
      forcePost: false,
      requestStatus: 'cleared',
    });

    expect((await sim.refund(a, 100)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'refund', amount: 100, externalId: a.id });
    expect(await plinth.expensed(lineIds[0]!)).toBe(600);

    const other = (await sim.authorize({ amount: 250, cardId: 'ic_life' })).authorization;
    expect((await sim.expire(other)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'expiry',
      externalId: other.id,
      requestStatus: 'expired',
    });

    expect(
      (await sim.reverse((await sim.authorize({ amount: 50, cardId: 'ic_life' })).authorization)).verdict.ok,
    ).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'reversal',
      amount: 50,
      requestStatus: 'reversed',
    });
    expect(await plinth.expensed(lineIds[0]!)).toBe(600);
  });

  it('sends force captures and unlinked refunds', async () => {
    await sim.forceCapture({ amount: 321, mcc: '5542', cardId: 'ic_rich' });
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 321,
      forcePost: true,
      approved: true,
    });
    await sim.refund({ amount: 0, currency: 'usd', cardId: 'ic_rich' }, 99);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'refund',
      amount: 99,
      currency: 'USD',
      forcePost: false,
    });
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'future',
    'missing',
  ] as const)('gets a 401 for a %s signature, and nothing is recorded', async (mode) => {
    const before = await plinth.messageCount();
    const res = await sim.authorize({ amount: 100, signature: mode, cardId: 'ic_rich' });
    expect(res.status).toBe(401);
    expect(res.verdict.ok).toBe(false);
    expect(await plinth.messageCount()).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES).filter(([k]) => k !== 'empty'),
  )('gets a valid Stripe decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(plinth.relayUrl, secret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
