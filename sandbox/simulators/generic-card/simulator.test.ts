import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GARBAGE_BODIES } from '../shared/card-client.js';
import { type PlinthRelay, startPlinthRelay } from '../shared/plinth-relay.js';
import { GenericCardSimulator, sendAuthorization, sendGarbage } from './simulator.js';

const secret = 'generic-secret-0123456789abcdef0123';
const oldSecret = 'generic-secret-old-0123456789abcdef';

let plinth: PlinthRelay;
let sim: GenericCardSimulator;

beforeAll(async () => {
  plinth = await startPlinthRelay({
    provider: 'generic',
    config: { webhook_secret: secret },
    // ATM withdrawals (6011) belong to no category: declined.
    rules: [{ category_code: 'all', mcc: ['0000-6010', '6012-9999'] }],
  });
  sim = new GenericCardSimulator({ targetUrl: plinth.relayUrl, secret });
  await plinth.card('card_rich', 1_000_000, 'EUR');
});
afterAll(() => plinth.close());

describe('generic simulator ↔ Plinth relay', () => {
  it('round-trips approvals, partial approvals and declines', async () => {
    const full = await sendAuthorization(plinth.relayUrl, secret, { amount: 2500, cardId: 'card_rich' });
    expect(full.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 2500 });
    await plinth.card('card_3000', 3000, 'EUR');
    const partial = await sim.authorize({ amount: 5000, partialAllowed: true, cardId: 'card_3000' });
    expect(partial.verdict).toMatchObject({ ok: true, approved: true, approvedAmount: 3000 });
    const declined = await sim.authorize({ amount: 100, mcc: '6011', cardId: 'card_rich' });
    expect(declined.verdict).toMatchObject({ ok: true, approved: false });
    expect(declined.body).toMatchObject({ reason: 'no_category' });
    const unknown = await sim.authorize({ amount: 100 });
    expect(unknown.body).toMatchObject({ decision: 'declined', reason: 'unknown_card' });
  });

  it('declines a 2-letter country on this contract', async () => {
    const res = await sim.authorize({ amount: 100, country: 'FR', cardId: 'card_rich' });
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
    expect(res.body).toMatchObject({ reason: 'invalid_merchant' });
  });

  it('carries a lifecycle, and books it', async () => {
    const { lineIds } = await plinth.card('card_life', 100_000, 'EUR');
    const { authorization: a } = await sim.authorize({ amount: 1000, cardId: 'card_life' });
    expect((await sim.increment(a, 400)).verdict).toMatchObject({ ok: true, approved: true });
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'incremental_authorization', amount: 400 });
    expect((await sim.reverse(a, 100)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'reversal', amount: 100, approved: true });
    expect((await sim.clear(a)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'clearing',
      amount: 1300,
      forcePost: false,
      requestStatus: 'cleared',
      merchantCountry: 'FRA',
    });
    expect((await sim.refund(a, 50)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'refund', amount: 50 });
    const { authorization: b } = await sim.authorize({ amount: 75, cardId: 'card_life' });
    expect((await sim.expire(b)).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({ kind: 'expiry', requestStatus: 'expired' });
    expect((await sim.forcePost({ amount: 60, cardId: 'card_life' })).verdict.ok).toBe(true);
    expect(await plinth.lastMessage()).toMatchObject({
      kind: 'clearing',
      forcePost: true,
      requestStatus: 'cleared',
    });
    expect(await plinth.expensed(lineIds[0]!)).toBe(1300 - 50 + 60);
  });

  it('is accepted while signing with an old and a new secret (rotation)', async () => {
    const rotating = new GenericCardSimulator({ targetUrl: plinth.relayUrl, secret: oldSecret });
    const res = await rotating.authorize({ amount: 10, cardId: 'card_rich' });
    expect(res.status).toBe(401);
    const both = await rotating.sendRaw(JSON.stringify({}), { alsoSignWith: [secret] });
    expect(both.res.status).toBe(200);
  });

  it.each([
    'wrong_secret',
    'tampered',
    'stale',
    'future',
    'missing',
  ] as const)('gets a 401 for a %s signature, and nothing is recorded', async (mode) => {
    const before = await plinth.messageCount();
    expect((await sim.authorize({ amount: 100, signature: mode, cardId: 'card_rich' })).status).toBe(401);
    expect(await plinth.messageCount()).toBe(before);
  });

  it.each(
    Object.entries(GARBAGE_BODIES),
  )('gets a valid decline for signed garbage (%s)', async (_name, raw) => {
    const res = await sendGarbage(plinth.relayUrl, secret, raw);
    expect(res.verdict).toMatchObject({ ok: true, approved: false });
  });
});
