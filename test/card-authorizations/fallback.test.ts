import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cardProgram, message, settled, stall } from './fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const detail = async (key: string, externalId: unknown) => {
  const [r] = (
    await t.call('GET', `/v1/card-authorizations/authorization-requests?external_id=${externalId}`, { key })
  ).json().data;
  return (await t.call('GET', `/v1/card-authorizations/authorization-requests/${r.id}`, { key })).json();
};

/** The relay's config must be known before anything can be answered: a first message loads it into the cache. */
async function warm(p: Awaited<ReturnType<typeof cardProgram>>) {
  await p.send(message({ card_id: 'card_warmup', amount: 1 }));
}

describe('the deadline', () => {
  it('answers the approve fallback in time, then books what the network approved, over the limit', async () => {
    const p = await cardProgram(t, { relay: { deadline_ms: 100, fallback: 'approve' } });
    const c = await p.cardholder({ all: 1_000 });
    await warm(p);
    // Two on the same card: the first waits in the database, the second still in its queue when time runs out.
    const first = message({ card_id: c.cardId, amount: 800 });
    const second = message({ card_id: c.cardId, amount: 800 });
    await stall(t, c.lines.all!, 600);
    const started = Date.now();
    const answers = await Promise.all([p.send(first), p.send(second)]);
    expect(Date.now() - started).toBeLessThan(500);
    for (const a of answers)
      expect(a.body).toMatchObject({
        decision: 'approved',
        reason: 'timeout_fallback',
        approved_amount: 800,
      });
    await settled(t);
    // The network was told "approved" twice: both are booked, the second beyond the limit.
    const line = await p.line(c.lines.all!);
    expect(line.expensed_credits).toBe(1_600);
    const one = await detail(p.tenant.key, first.authorization_id);
    const two = await detail(p.tenant.key, second.authorization_id);
    expect([one.amount_held, two.amount_held]).toEqual([800, 800]);
    expect(one.amount_forced + two.amount_forced).toBe(800);
    for (const d of [one, two])
      expect(d.messages[0]).toMatchObject({
        approved: true,
        reason_code: 'timeout_fallback',
        answered_by_fallback: true,
      });
    expect([one, two].map((d) => d.messages[0].engine_reason).sort()).toEqual([
      'approved',
      'insufficient_credits',
    ]);
    // A replay gets what the network was told.
    expect((await p.send(second)).body).toMatchObject({ decision: 'approved', reason: 'timeout_fallback' });
  });

  it('answers the decline fallback in time, then releases what the engine had reserved', async () => {
    const p = await cardProgram(t, { relay: { deadline_ms: 100, fallback: 'decline' } });
    const c = await p.cardholder({ all: 10_000 });
    await warm(p);
    const first = message({ card_id: c.cardId, amount: 700 });
    const second = message({ card_id: c.cardId, amount: 300 });
    await stall(t, c.lines.all!, 600);
    const answers = await Promise.all([p.send(first), p.send(second)]);
    for (const a of answers)
      expect(a.body).toMatchObject({ decision: 'declined', reason: 'timeout_fallback', approved_amount: 0 });
    await settled(t);
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
    for (const m of [first, second]) {
      const d = await detail(p.tenant.key, m.authorization_id);
      expect(d).toMatchObject({ status: 'declined', amount_held: 0, amount_authorized: 0 });
      expect(d.messages[0]).toMatchObject({
        approved: false,
        reason_code: 'timeout_fallback',
        answered_by_fallback: true,
      });
    }
    // Later payments see the credits as if the timed-out ones never happened.
    expect((await p.send(message({ card_id: c.cardId, amount: 10_000 }))).body).toMatchObject({
      decision: 'approved',
    });
  });

  it('never approves an unreadable message on the fallback', async () => {
    const p = await cardProgram(t, { relay: { deadline_ms: 100, fallback: 'approve' } });
    const c = await p.cardholder({ all: 1_000 });
    await warm(p);
    await stall(t, c.lines.all!, 400);
    const r = await p.send(message({ card_id: c.cardId, currency: 'ZZZ' }));
    expect(r.body).toMatchObject({ decision: 'declined', reason: 'invalid_currency' });
    await settled(t);
  });
});
