import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, ParseResult } from '../../../src/modules/card-authorizations/domain/messages.js';
import { stripeIssuingRelay } from '../../../src/modules/card-authorizations/providers/stripe_issuing/relay.js';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type RelayHarness, startRelayHarness } from '../shared/card-relay-harness.js';
import { StripeIssuingSimulator, sendAuthorization, sendGarbage } from './simulator.js';

const secret = 'whsec_sim_secret';

/** A toy engine: declines restaurants, grants at most 1000 per request, is slow on 4242. */
async function decide(parsed: ParseResult & { ok: true }): Promise<Decision> {
  const m = parsed.message;
  if (m.amount === 4242) await new Promise((r) => setTimeout(r, 400));
  if (m.merchant.mcc === '5812') return { approved: false, reasonCode: 'no_category' };
  return { approved: true, reasonCode: 'approved', approvedAmount: Math.min(m.amount, 1000) };
}

let relay: RelayHarness;
let sim: StripeIssuingSimulator;

beforeAll(async () => {
  relay = await startRelayHarness({
    adapter: stripeIssuingRelay,
    secrets: [secret],
    decide,
    deadlineMs: 200,
  });
  sim = new StripeIssuingSimulator({ targetUrl: relay.relayUrl, secret });
});
afterAll(() => relay.close());

const lastMessage = () => {
  const r = relay.received.at(-1);
  if (!r?.ok) throw new Error('expected a parsed message');
  return r.message;
};

describe('Stripe Issuing simulator ↔ relay adapter', () => {
  it('round-trips an approved authorization with a valid answer', async () => {
    const res = await sendAuthorization(relay.relayUrl, secret, { amount: 800, mcc: '5411', country: 'DE' });
    expect(res.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 800 });
    expect(res.headers['stripe-version']).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(lastMessage()).toMatchObject({
      kind: 'authorization',
      amount: 800,
      merchant: { country: 'DEU', mcc: '5411' },
    });
  });

  it('round-trips a decline', async () => {
    const res = await sim.authorize({ amount: 500, mcc: '5812' });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toEqual({ approved: false, metadata: { plinth_reason: 'no_category' } });
  });

  it('partially approves a controllable amount and declines a fixed one', async () => {
    const partial = await sim.authorize({ amount: 1500, partialAllowed: true });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 1000 });
    expect(partial.authorization.amount).toBe(1000);
    const fixed = await sim.authorize({ amount: 1500, partialAllowed: false });
    expect(fixed.verdict).toMatchObject({ ok: true, approved: false });
  });

  it('answers with the fallback when the engine misses the deadline', async () => {
    const res = await sim.authorize({ amount: 4242 });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toMatchObject({ metadata: { plinth_reason: 'timeout_fallback' } });
  });

  it('carries a whole lifecycle: incremental, partial reversal, capture, refund, expiry', async () => {
    const auth = await sim.authorize({ amount: 600 });
    const a = auth.authorization;
    expect(auth.verdict.approved).toBe(true);

    const inc = await sim.increment(a, 300);
    expect(inc.verdict).toMatchObject({ ok: true, approved: true });
    expect(lastMessage()).toMatchObject({ kind: 'incremental_authorization', amount: 300, externalId: a.id });
    expect(a.amount).toBe(900);

    expect((await sim.advise(a)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'advice', amount: 900 });

    expect((await sim.reverse(a, 200)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'reversal', amount: 200, requiresDecision: false });

    expect((await sim.capture(a)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 700,
      externalId: a.id,
      forcePost: false,
    });

    expect((await sim.refund(a, 100)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'refund', amount: 100, externalId: a.id });

    const other = (await sim.authorize({ amount: 250 })).authorization;
    expect((await sim.expire(other)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'expiry', amount: 250, externalId: other.id });

    expect((await sim.reverse((await sim.authorize({ amount: 50 })).authorization)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'reversal', amount: 50 });
  });

  it('sends force captures and unlinked refunds', async () => {
    await sim.forceCapture({ amount: 321, mcc: '5542' });
    expect(lastMessage()).toMatchObject({ kind: 'clearing', amount: 321, forcePost: true });
    await sim.refund({ amount: 0, currency: 'eur' }, 99);
    expect(lastMessage()).toMatchObject({ kind: 'refund', amount: 99, currency: 'EUR', forcePost: false });
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'missing',
  ] as const)('gets a 401 for a %s signature, and nothing is recorded', async (mode) => {
    const before = relay.received.length;
    const res = await sim.authorize({ amount: 100, signature: mode });
    expect(res.status).toBe(401);
    expect(res.verdict.ok).toBe(false);
    expect(relay.received.length).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES).filter(([k]) => k !== 'empty'),
  )('gets a valid Stripe decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(relay.relayUrl, secret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
