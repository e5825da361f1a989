import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, ParseResult } from '../../../src/modules/card-authorizations/domain/messages.js';
import { lithicRelay } from '../../../src/modules/card-authorizations/providers/lithic/relay.js';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type RelayHarness, startRelayHarness } from '../shared/card-relay-harness.js';
import { LithicSimulator, newLithicSecret, sendAuthorization, sendGarbage } from './simulator.js';

const asaSecret = newLithicSecret();
const eventsSecret = newLithicSecret();

async function decide(parsed: ParseResult & { ok: true }): Promise<Decision> {
  const m = parsed.message;
  if (m.amount === 4242) await new Promise((r) => setTimeout(r, 400));
  if (m.merchant.mcc === '7995') return { approved: false, reasonCode: 'no_category' };
  if (m.amount > 5000) return { approved: true, reasonCode: 'approved', approvedAmount: 5000 };
  return { approved: true, reasonCode: 'approved' };
}

let relay: RelayHarness;
let sim: LithicSimulator;

beforeAll(async () => {
  relay = await startRelayHarness({
    adapter: lithicRelay,
    secrets: [asaSecret, eventsSecret],
    decide,
    deadlineMs: 200,
    fallback: 'approve',
  });
  sim = new LithicSimulator({ targetUrl: relay.relayUrl, secret: asaSecret, eventsSecret });
});
afterAll(() => relay.close());

const lastMessage = () => {
  const r = relay.received.at(-1);
  if (!r?.ok) throw new Error('expected a parsed message');
  return r.message;
};

describe('Lithic simulator ↔ relay adapter', () => {
  it('round-trips an approved ASA request', async () => {
    const res = await sendAuthorization(relay.relayUrl, asaSecret, {
      amount: 999,
      mcc: '5411',
      country: 'GB',
    });
    expect(res.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 999 });
    expect(res.body).toEqual({ result: 'APPROVED', token: res.transaction.token });
    expect(lastMessage()).toMatchObject({ kind: 'authorization', merchant: { country: 'GBR' } });
  });

  it('round-trips declines and partial approvals', async () => {
    const declined = await sim.authorize({ amount: 100, mcc: '7995' });
    expect(declined.verdict).toMatchObject({ ok: true, approved: false });
    expect(declined.body).toMatchObject({ result: 'UNAUTHORIZED_MERCHANT' });

    const partial = await sim.authorize({ amount: 8000, partialAllowed: true });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 5000 });
    const noPartial = await sim.authorize({ amount: 8000 });
    expect(noPartial.verdict).toMatchObject({ ok: true, approved: false });
    expect(noPartial.body).toMatchObject({ result: 'INSUFFICIENT_FUNDS' });
  });

  it('applies the approve fallback when the engine is too slow', async () => {
    const res = await sim.authorize({ amount: 4242 });
    expect(res.verdict).toMatchObject({ ok: true, approved: true });
    expect(res.latencyMs).toBeLessThan(1000);
  });

  it('carries a lifecycle: increment, partial reversal, clearing, refund, expiry, force post', async () => {
    const { transaction: t } = await sim.authorize({ amount: 1000 });
    const inc = await sim.increment(t, 500);
    expect(inc.verdict).toMatchObject({ ok: true, approved: true });
    expect(lastMessage()).toMatchObject({
      kind: 'incremental_authorization',
      amount: 500,
      externalId: t.token,
    });

    expect((await sim.reverse(t, 300)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'reversal', amount: 300 });
    expect((await sim.clear(t)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 1200,
      forcePost: false,
      externalId: t.token,
    });
    expect((await sim.refund(t, 200)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'refund', amount: 200, cardId: t.cardToken });

    const { transaction: other } = await sim.authorize({ amount: 300 });
    expect((await sim.expire(other)).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'expiry', amount: 300 });

    expect((await sim.forcePost({ amount: 777 })).verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'clearing', amount: 777, forcePost: true });
  });

  it('sends financial and credit authorizations', async () => {
    const fin = await sim.authorize({ amount: 2000, status: 'FINANCIAL_AUTHORIZATION' });
    expect(fin.verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'authorization', singleMessage: true });
    const credit = await sim.authorize({ amount: 300, status: 'CREDIT_AUTHORIZATION' });
    expect(credit.verdict.ok).toBe(true);
    expect(lastMessage()).toMatchObject({ kind: 'refund', requiresDecision: true });
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'missing',
  ] as const)('gets a 401 for a %s signature', async (mode) => {
    const before = relay.received.length;
    const res = await sim.authorize({ amount: 100, signature: mode });
    expect(res.status).toBe(401);
    expect(relay.received.length).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES),
  )('gets a valid ASA decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(relay.relayUrl, asaSecret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
