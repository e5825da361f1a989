import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { err, failure, ok, type Result } from '../../src/kernel/result.js';
import type { CardSpendPosting, LoanFunding } from '../../src/modules/card-authorizations/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { lineTenant, openLine } from '../lending/line-of-credit-support.js';
import { type CardProgram, cardProgram, message } from './fixture.js';

/** The lending side as a test double: records what it is asked, answers as told. */
class FakeLending implements LoanFunding {
  calls: { kind: 'draw' | 'refund'; tenantId: string; loanId: string; posting: CardSpendPosting }[] = [];
  answer: () => Promise<Result<{ transactionId: string }>> = async () => ok({ transactionId: randomUUID() });

  async drawForCardSpend(scope: { tenantId: string }, loanId: string, posting: CardSpendPosting) {
    this.calls.push({ kind: 'draw', tenantId: scope.tenantId, loanId, posting });
    return this.answer();
  }

  async creditCardRefund(scope: { tenantId: string }, loanId: string, posting: CardSpendPosting) {
    this.calls.push({ kind: 'refund', tenantId: scope.tenantId, loanId, posting });
    return this.answer();
  }
}

const lending = new FakeLending();
/** Real time plus an offset the test advances (rows are stamped with the database's own clock). */
let offset = 0;
let t: TestApp;
let p: CardProgram;
/** A new loan of the tenant (a card line owned by a loan must name one; its funding goes to the double above). */
let newLoan: () => Promise<string>;
beforeAll(async () => {
  t = await startTestApp({ loanFunding: lending, now: () => new Date(Date.now() + offset) });
  const { tenant, call, programId } = await lineTenant(t);
  newLoan = () => openLine(call, programId);
  p = await cardProgram(t, { tenant });
});
afterAll(() => t.close());
beforeEach(() => {
  lending.calls = [];
  lending.answer = async () => ok({ transactionId: randomUUID() });
});

const outbox = (loanId: string) =>
  rows<{ kind: string; amount: number; status: string; attempts: number; last_error: string | null }>(
    t.ctx.database.db,
    sql`SELECT kind, amount::int AS amount, status, attempts, last_error FROM card_funding_outbox WHERE loan_id = ${loanId}
         ORDER BY created_at`,
  );
const run = () => t.ctx.cardAuthorizations.funding.processDue();

describe('card spend on a loan-owned line', () => {
  it('draws on the loan when a clearing posts, once, with a stable reference', async () => {
    const loan = await newLoan();
    const c = await p.cardholder({ all: 100_000 }, { ownerType: 'loan', ownerRef: loan });
    const auth = message({ card_id: c.cardId, amount: 4_000, occurred_at: '2026-03-10T23:30:00Z' });
    await p.send(auth);
    expect(await outbox(loan)).toEqual([]);
    const clearing = {
      ...auth,
      type: 'clearing',
      id: `${auth.id}-clr`,
      amount: 3_500,
      occurred_at: '2026-03-11T09:00:00Z',
    };
    await p.send(clearing);
    await p.send(clearing); // a replay queues nothing more
    expect(await outbox(loan)).toEqual([
      { kind: 'draw', amount: 3_500, status: 'pending', attempts: 0, last_error: null },
    ]);

    expect(await run()).toEqual({ done: 1, failed: 0, retrying: 0 });
    expect(lending.calls).toEqual([
      {
        kind: 'draw',
        tenantId: p.tenant.id,
        loanId: loan,
        posting: {
          amount: 3_500,
          currency: 'EUR',
          effectiveDate: '2026-03-11',
          reference: expect.any(String),
        },
      },
    ]);
    const [stored] = await rows<{ id: string }>(
      t.ctx.database.db,
      sql`SELECT id FROM card_authorization_messages WHERE message_id = ${clearing.id}`,
    );
    expect(lending.calls[0]!.posting.reference).toBe(stored!.id);
    expect((await outbox(loan))[0]).toMatchObject({ status: 'done', attempts: 1 });
    expect(await run()).toEqual({ done: 0, failed: 0, retrying: 0 });
  });

  it('credits refunds back, draws force posts, and draws once for a payment on two of the loan’s lines', async () => {
    const loan = await newLoan();
    const c = await p.cardholder({ all: 100_000, health: 50_000 }, { ownerType: 'loan', ownerRef: loan });
    const pharmacy = { id: 'PH-2', mcc: '5912', country: 'FRA' };
    const auth = message({ card_id: c.cardId, amount: 2_000, merchant: pharmacy });
    await p.send(auth);
    await p.send({ ...auth, type: 'clearing', id: `${auth.id}-clr`, amount: 2_000 });
    await p.send({ ...auth, type: 'refund', id: `${auth.id}-ref`, amount: 500 });
    await p.send(message({ card_id: c.cardId, type: 'clearing', amount: 900, force_post: true }));
    await run();
    expect(lending.calls.map((x) => [x.kind, x.posting.amount])).toEqual([
      ['draw', 2_000],
      ['refund', 500],
      ['draw', 900],
    ]);
  });

  it('retries a failure with backoff, and leaves a refusal for an operator', async () => {
    const loan = await newLoan();
    const c = await p.cardholder({ all: 100_000 }, { ownerType: 'loan', ownerRef: loan });
    lending.answer = async () => {
      throw new Error('lending is down');
    };
    await p.send(message({ card_id: c.cardId, type: 'clearing', amount: 1_000, force_post: true }));
    expect(await run()).toEqual({ done: 0, failed: 0, retrying: 1 });
    expect((await outbox(loan))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'lending is down',
    });
    // Not due again yet.
    expect(await run()).toEqual({ done: 0, failed: 0, retrying: 0 });
    offset += 3_600_000;
    lending.answer = async () => err(failure('unavailable', 'lending_busy', 'try later'));
    expect(await run()).toEqual({ done: 0, failed: 0, retrying: 1 });
    offset += 3_600_000;
    lending.answer = async () => err(failure('conflict', 'loan_closed', 'the loan is closed'));
    expect(await run()).toEqual({ done: 0, failed: 1, retrying: 0 });
    expect((await outbox(loan))[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'loan_closed: the loan is closed',
    });
    offset += 3_600_000;
    expect(await run()).toEqual({ done: 0, failed: 0, retrying: 0 });
  });

  it('never draws for lines owned by anything but a loan', async () => {
    const c = await p.cardholder({ all: 100_000 });
    await p.send(message({ card_id: c.cardId, type: 'clearing', amount: 1_000, force_post: true }));
    await run();
    expect(lending.calls).toEqual([]);
  });

  it('shows the funding of a request with the request', async () => {
    const loan = await newLoan();
    const c = await p.cardholder({ all: 100_000 }, { ownerType: 'loan', ownerRef: loan });
    const force = message({ card_id: c.cardId, type: 'clearing', amount: 1_234, force_post: true });
    await p.send(force);
    await run();
    const [r] = (
      await t.call(
        'GET',
        `/v1/card-authorizations/authorization-requests?external_id=${force.authorization_id}`,
        {
          key: p.tenant.key,
        },
      )
    ).json().data;
    const detail = (
      await t.call('GET', `/v1/card-authorizations/authorization-requests/${r.id}`, { key: p.tenant.key })
    ).json();
    expect(detail.funding).toEqual([
      expect.objectContaining({ loan_id: loan, kind: 'draw', amount: 1_234, status: 'done', attempts: 1 }),
    ]);
  });
});
