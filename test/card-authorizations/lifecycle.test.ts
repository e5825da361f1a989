import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message } from './fixture.js';

let t: TestApp;
let p: CardProgram;
beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t);
});
afterAll(() => t.close());

type Msg = Record<string, unknown>;
/** The next message of an authorization's lifecycle: same authorization, card and merchant, a new message id. */
const next = (auth: Msg, type: string, amount: number, extra: Msg = {}): Msg => ({
  ...auth,
  type,
  id: `${auth.id}-${type}-${Math.random().toString(36).slice(2, 8)}`,
  amount,
  ...extra,
});

const request = async (externalId: unknown) => {
  const list = await t.call(
    'GET',
    `/v1/card-authorizations/authorization-requests?external_id=${externalId}`,
    {
      key: p.tenant.key,
    },
  );
  const [r] = list.json().data;
  return r
    ? (
        await t.call('GET', `/v1/card-authorizations/authorization-requests/${r.id}`, { key: p.tenant.key })
      ).json()
    : undefined;
};

/** Every line's expensed credits equal what its holds account for: held + cleared − refunded. */
async function expectLedgerConsistent(lineId: string, expected: number) {
  const [sum] = await rows<{ n: string }>(
    t.ctx.database.db,
    sql`SELECT coalesce(sum(held + cleared - refunded), 0) AS n FROM card_authorization_holds
         WHERE line_of_credit_id = ${lineId}`,
  );
  expect(Number(sum!.n)).toBe(expected);
  expect((await p.line(lineId)).expensed_credits).toBe(expected);
}

describe('authorization lifecycle', () => {
  it('increments an approved authorization, within the limit only', async () => {
    const c = await p.cardholder({ all: 2_000 });
    const auth = message({ card_id: c.cardId, amount: 1_000 });
    await p.send(auth);
    expect((await p.send(next(auth, 'incremental_authorization', 500))).body).toMatchObject({
      decision: 'approved',
      approved_amount: 500,
    });
    expect((await p.send(next(auth, 'incremental_authorization', 600))).body).toMatchObject({
      decision: 'declined',
      reason: 'insufficient_credits',
    });
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'approved',
      amount_authorized: 1_500,
      amount_held: 1_500,
    });
    await expectLedgerConsistent(c.lines.all!, 1_500);
  });

  it('releases partial and full reversals, never more than is held', async () => {
    const c = await p.cardholder({ all: 5_000 });
    const auth = message({ card_id: c.cardId, amount: 2_000 });
    await p.send(auth);
    expect((await p.send(next(auth, 'reversal', 500))).body).toEqual({ received: true });
    await expectLedgerConsistent(c.lines.all!, 1_500);
    const over = await p.send(next(auth, 'reversal', 1_501));
    expect(over.body).toEqual({ received: true });
    const detail = await request(auth.authorization_id);
    expect(detail.messages.at(-1)).toMatchObject({
      kind: 'reversal',
      approved: false,
      reason_code: 'over_reversal',
    });
    await expectLedgerConsistent(c.lines.all!, 1_500);
    await p.send(next(auth, 'reversal', 1_500));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'reversed',
      amount_held: 0,
      amount_released: 2_000,
    });
    await expectLedgerConsistent(c.lines.all!, 0);
    // Nothing was ever reserved for an unknown authorization: refused too.
    const stray = message({ card_id: c.cardId, type: 'reversal', amount: 100 });
    await p.send(stray);
    const [stored] = await rows<{ reason_code: string; request_id: string | null }>(
      t.ctx.database.db,
      sql`SELECT reason_code, request_id FROM card_authorization_messages WHERE message_id = ${stray.id as string}`,
    );
    expect(stored).toEqual({ reason_code: 'over_reversal', request_id: null });
  });

  it('clears less than authorized (the rest stays held), then more (posted anyway)', async () => {
    const c = await p.cardholder({ all: 5_000 });
    const auth = message({ card_id: c.cardId, amount: 3_000 });
    await p.send(auth);
    await p.send(next(auth, 'clearing', 2_000, { settlement_id: 'stl_1' }));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'partially_cleared',
      amount_held: 1_000,
      amount_cleared: 2_000,
    });
    await expectLedgerConsistent(c.lines.all!, 3_000);
    // A second clearing beyond what is held (a tip): 1,000 from the hold, 4,000 more posted over the limit.
    await p.send(next(auth, 'clearing', 5_000, { settlement_id: 'stl_2' }));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'cleared',
      amount_held: 0,
      amount_cleared: 7_000,
      amount_forced: 4_000,
    });
    await expectLedgerConsistent(c.lines.all!, 7_000);
    expect((await p.line(c.lines.all!)).available_credits).toBe(-2_000);
    // An over-limit line approves nothing more.
    expect((await p.send(message({ card_id: c.cardId, amount: 1 }))).body).toMatchObject({
      decision: 'declined',
    });
  });

  it('posts a clearing with no authorization as a force post, even over the limit', async () => {
    const c = await p.cardholder({ all: 1_000 });
    const force = message({ card_id: c.cardId, type: 'clearing', amount: 1_800, force_post: true });
    expect((await p.send(force)).body).toEqual({ received: true });
    expect(await request(force.authorization_id)).toMatchObject({
      status: 'cleared',
      force_posted: true,
      amount_cleared: 1_800,
      amount_forced: 1_800,
      holds: [{ line_of_credit_id: c.lines.all, held: 0, cleared: 1_800 }],
    });
    await expectLedgerConsistent(c.lines.all!, 1_800);
    // A clearing the platform did not flag, for an authorization never seen, is the same thing.
    const unflagged = message({ card_id: c.cardId, type: 'clearing', amount: 200 });
    await p.send(unflagged);
    expect(await request(unflagged.authorization_id)).toMatchObject({ force_posted: true });
    await expectLedgerConsistent(c.lines.all!, 2_000);
  });

  it('posts a clearing the platform made on an authorization we declined, as a force post', async () => {
    const c = await p.cardholder({ all: 1_000 });
    const auth = message({ card_id: c.cardId, amount: 1_500 });
    expect((await p.send(auth)).body).toMatchObject({ decision: 'declined' });
    await p.send(next(auth, 'clearing', 1_500));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'cleared',
      force_posted: true,
      amount_authorized: 0,
      amount_cleared: 1_500,
      amount_forced: 1_500,
    });
    await expectLedgerConsistent(c.lines.all!, 1_500);
  });

  it('records a force post on an unknown card without charging anything', async () => {
    const force = message({ card_id: 'card_unknown_fp', type: 'clearing', amount: 900, force_post: true });
    expect((await p.send(force)).body).toEqual({ received: true });
    expect(await request(force.authorization_id)).toMatchObject({
      force_posted: true,
      amount_cleared: 900,
      holds: [],
      messages: [{ approved: false, reason_code: 'unknown_card' }],
    });
  });

  it('credits refunds back, linked or not, never below zero', async () => {
    const c = await p.cardholder({ all: 5_000 });
    const auth = message({ card_id: c.cardId, amount: 1_000 });
    await p.send(auth);
    await p.send(next(auth, 'clearing', 1_000));
    await p.send(next(auth, 'refund', 400));
    expect(await request(auth.authorization_id)).toMatchObject({ status: 'cleared', amount_refunded: 400 });
    await expectLedgerConsistent(c.lines.all!, 600);
    // An unlinked refund finds the lines through the card and the merchant, like a payment would.
    const unlinked = message({ card_id: c.cardId, type: 'refund', amount: 2_000 });
    await p.send(unlinked);
    expect(await request(unlinked.authorization_id)).toMatchObject({
      status: 'refunded',
      amount_refunded: 2_000,
    });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
  });

  it('releases what is held when the platform expires the authorization', async () => {
    const c = await p.cardholder({ all: 5_000 });
    const auth = message({ card_id: c.cardId, amount: 1_200 });
    await p.send(auth);
    await p.send(next(auth, 'expiry', 1_200));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'expired',
      amount_held: 0,
      amount_released: 1_200,
    });
    await expectLedgerConsistent(c.lines.all!, 0);
  });
});

describe('Plinth’s own hold expiry', () => {
  it('releases holds past their expiry, once, and a later clearing still posts in full', async () => {
    const c = await p.cardholder({ all: 5_000 });
    const auth = message({ card_id: c.cardId, amount: 2_500 });
    await p.send(auth);
    const expiry = t.ctx.cardAuthorizations.expiry;
    expect(await expiry.releaseExpiredHolds({ tenantId: p.tenant.id })).toBe(0);
    const later = new Date(Date.now() + 32 * 86_400_000);
    expect(await expiry.releaseExpiredHolds({ tenantId: p.tenant.id, asOf: later })).toBeGreaterThanOrEqual(
      1,
    );
    expect(await request(auth.authorization_id)).toMatchObject({ status: 'expired', amount_held: 0 });
    await expectLedgerConsistent(c.lines.all!, 0);
    expect(await expiry.releaseExpiredHolds({ tenantId: p.tenant.id, asOf: later })).toBe(0);
    // Money moved after all: the clearing must post, though nothing is held any more.
    await p.send(next(auth, 'clearing', 2_500));
    expect(await request(auth.authorization_id)).toMatchObject({
      status: 'cleared',
      amount_cleared: 2_500,
      amount_forced: 2_500,
    });
    await expectLedgerConsistent(c.lines.all!, 2_500);
  });
});

describe('replays', () => {
  it('answers every message replayed twice with its original decision and changes nothing', async () => {
    const c = await p.cardholder({ all: 10_000, health: 4_000 });
    const pharmacy = { id: 'PH-9', mcc: '5912', country: 'FRA' };
    const a1 = message({ card_id: c.cardId, amount: 3_000, merchant: pharmacy });
    const a2 = message({ card_id: c.cardId, amount: 9_000 });
    const sequence = [
      a1,
      next(a1, 'incremental_authorization', 500),
      next(a1, 'incremental_authorization', 5_000),
      next(a1, 'reversal', 400),
      next(a1, 'reversal', 9_999),
      next(a1, 'clearing', 3_500),
      next(a1, 'refund', 300),
      a2,
      next(a2, 'expiry', 0),
      message({ card_id: c.cardId, type: 'clearing', amount: 700, force_post: true }),
      message({ card_id: c.cardId, amount: -1 }),
      message({ card_id: 'card_who', amount: 100 }),
    ];
    const answers = [];
    for (const m of sequence) answers.push((await p.send(m)).body);
    const snapshot = async () => ({
      lines: [await p.line(c.lines.all!), await p.line(c.lines.health!)],
      requests: await rows(
        t.ctx.database.db,
        sql`SELECT * FROM card_authorization_requests WHERE card_id = ${c.cardId} ORDER BY id`,
      ),
      holds: await rows(
        t.ctx.database.db,
        sql`SELECT * FROM card_authorization_holds ORDER BY request_id, line_of_credit_id`,
      ),
      messages: await rows<{ n: number }>(
        t.ctx.database.db,
        sql`SELECT count(*)::int AS n FROM card_authorization_messages`,
      ),
    });
    const before = await snapshot();
    for (let round = 0; round < 2; round++)
      for (const [i, m] of sequence.entries()) expect((await p.send(m)).body).toEqual(answers[i]);
    expect(await snapshot()).toEqual(before);
    await expectLedgerConsistent(c.lines.all!, 3_500 - 300 + 700);
  });
});
