import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type PlinthRelay, startPlinthRelay } from '../shared/plinth-relay.js';
import { LithicSimulator, newLithicSecret, sendAuthorization, sendGarbage } from './simulator.js';

const asaSecret = newLithicSecret();
const eventsSecret = newLithicSecret();
const rich = randomUUID();

let plinth: PlinthRelay;
let sim: LithicSimulator;

beforeAll(async () => {
  plinth = await startPlinthRelay({
    provider: 'lithic',
    config: {
      webhook_secret: asaSecret,
      events_webhook_secret: eventsSecret,
      deadline_ms: 1_000,
      fallback: 'approve',
    },
    // Gambling (7995) belongs to no category: declined.
    rules: [{ category_code: 'all', mcc: ['0000-7994', '7996-9999'] }],
  });
  sim = new LithicSimulator({ targetUrl: plinth.relayUrl, secret: asaSecret, eventsSecret });
  await plinth.card(rich, 1_000_000);
});
afterAll(() => plinth.close());

describe('Lithic simulator ↔ Plinth relay', () => {
  it('round-trips an approved ASA request', async () => {
    const res = await sendAuthorization(plinth.relayUrl, asaSecret, {
      amount: 999,
      mcc: '5411',
      country: 'GB',
      cardId: rich,
    });
    expect(res.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 999 });
    expect(res.body).toEqual({ result: 'APPROVED', token: res.transaction.token });
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'authorization', merchantCountry: 'GBR' });
  });

  it('round-trips declines and partial approvals', async () => {
    const declined = await sim.authorize({ amount: 100, mcc: '7995', cardId: rich });
    expect(declined.verdict).toMatchObject({ ok: true, approved: false });
    expect(declined.body).toMatchObject({ result: 'UNAUTHORIZED_MERCHANT' });

    const card = randomUUID();
    await plinth.card(card, 5000);
    const noPartial = await sim.authorize({ amount: 8000, cardId: card });
    expect(noPartial.verdict).toMatchObject({ ok: true, approved: false });
    expect(noPartial.body).toMatchObject({ result: 'INSUFFICIENT_FUNDS' });
    const partial = await sim.authorize({ amount: 8000, partialAllowed: true, cardId: card });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 5000 });
    const unknown = await sim.authorize({ amount: 100 });
    expect(unknown.body).toMatchObject({ result: 'CARD_PAUSED' });
  });

  it('applies the approve fallback when the decision is too slow, and books it', async () => {
    const card = randomUUID();
    const { lineIds } = await plinth.card(card, 10_000);
    plinth.stall(2_500);
    const res = await sim.authorize({ amount: 4242, cardId: card });
    expect(res.verdict).toMatchObject({ ok: true, approved: true });
    expect(res.latencyMs).toBeLessThan(2_000);
    await plinth.settled();
    expect(await plinth.expensed(lineIds[0]!)).toBe(4242);
  });

  it('carries a lifecycle: increment, partial reversal, clearing, refund, expiry, force post', async () => {
    const card = randomUUID();
    const { lineIds } = await plinth.card(card, 100_000);
    const { transaction: t } = await sim.authorize({ amount: 1000, cardId: card });
    const inc = await sim.increment(t, 500);
    expect(inc.verdict).toMatchObject({ ok: true, approved: true });
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'incremental_authorization',
      amount: 500,
      externalId: t.token,
    });

    expect((await sim.reverse(t, 300)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'reversal', amount: 300, approved: true });
    expect((await sim.clear(t)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 1200,
      forcePost: false,
      externalId: t.token,
      requestStatus: 'cleared',
    });
    expect((await sim.refund(t, 200)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'refund',
      amount: 200,
      requestStatus: 'refunded',
    });
    expect(await plinth.expensed(lineIds[0]!)).toBe(1000);

    const { transaction: other } = await sim.authorize({ amount: 300, cardId: card });
    expect((await sim.expire(other)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'expiry', requestStatus: 'expired' });

    expect((await sim.forcePost({ amount: 777, cardId: card })).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'clearing', amount: 777, forcePost: true });
    expect(await plinth.expensed(lineIds[0]!)).toBe(1777);
  });

  it('sends financial and credit authorizations', async () => {
    const card = randomUUID();
    const { lineIds } = await plinth.card(card, 100_000);
    const fin = await sim.authorize({ amount: 2000, status: 'FINANCIAL_AUTHORIZATION', cardId: card });
    expect(fin.verdict).toMatchObject({ ok: true, approved: true });
    // Authorized and settled in one message: nothing stays held.
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'authorization', requestStatus: 'cleared' });
    const credit = await sim.authorize({ amount: 300, status: 'CREDIT_AUTHORIZATION', cardId: card });
    expect(credit.verdict).toMatchObject({ ok: true, approved: true });
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'refund', approved: true });
    expect(await plinth.expensed(lineIds[0]!)).toBe(2000);
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'future',
    'missing',
  ] as const)('gets a 401 for a %s signature, and nothing is recorded', async (mode) => {
    const before = await plinth.messageCount();
    const res = await sim.authorize({ amount: 100, signature: mode, cardId: rich });
    expect(res.status).toBe(401);
    expect(await plinth.messageCount()).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES),
  )('gets a valid ASA decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(plinth.relayUrl, asaSecret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
