import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../../src/kernel/dates.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { type PaymentsFixture, paymentsFixture } from './support/fixture.js';
import { stripeHarness } from './support/processors.js';

// biome-ignore lint/suspicious/noExplicitAny: response JSON, read by the tests' expectations.
type Json = any;

/** One step of a random history of a loan's payments; `pick` chooses among the payments it can apply to. */
type Step =
  | { op: 'card' | 'bank'; amount: number }
  | { op: 'refund'; pick: number; percent: number }
  | { op: 'return' | 'chargeback' | 'settle' | 'day'; pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('card', 'bank'),
      amount: fc.integer({ min: 100, max: 60_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('refund'),
      pick: fc.nat(),
      percent: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom('return', 'chargeback', 'settle', 'day'), pick: fc.nat() }),
  },
) as fc.Arbitrary<Step>;

interface Held {
  id: string;
  processorId: string;
  kind: 'card' | 'bank';
  amount: number;
  refunded: number;
  status: 'open' | 'settled' | 'gone';
}

/**
 * After any sequence of card and bank collections, partial refunds, ACH returns, chargebacks and closed days on a
 * loan: the loan's store equals its replay (balances, installments and journal per account), and what the Stripe
 * simulator holds for the loan's payments (captured − refunded − disputes, plus bank debits still processing)
 * equals what the loan received (its cash account, net of the disbursement).
 */
describe('payments on a loan: balances agree with the journal and with the processor', () => {
  let f: PaymentsFixture;
  let businessDate = '2024-01-15';
  beforeAll(async () => {
    f = await paymentsFixture(await stripeHarness());
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await f?.h.close();
  });

  const webhook = async (processorId: string) => {
    const hook = f.h.signed(processorId);
    const url = `/v1/webhooks/payment-processors/${f.configId}`;
    const r = await f.t.app.inject({ method: 'POST', url, headers: hook.headers, payload: hook.body });
    expect(r.statusCode, r.body).toBe(200);
  };

  async function run(loanId: string, steps: Step[], card: string, bank: string): Promise<boolean> {
    const held: Held[] = [];
    let written = true;
    const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
    for (const s of steps) {
      if (s.op === 'card' || s.op === 'bank') {
        const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
          amount: s.amount,
          payment_method_id: s.op === 'card' ? card : bank,
        });
        held.push({
          id: p.id,
          processorId: p.processor_id,
          kind: s.op,
          amount: s.amount,
          refunded: 0,
          status: 'open',
        });
      } else if (s.op === 'refund') {
        const p = pick(
          held.filter((h) => h.kind === 'card' && h.status === 'open' && h.refunded < h.amount),
          s.pick,
        );
        if (!p) continue;
        const amount = Math.max(1, Math.floor(((p.amount - p.refunded) * s.percent) / 100));
        await f.ok('POST', `/v1/payments/${p.id}/refunds`, { amount });
        p.refunded += amount;
      } else if (s.op === 'return') {
        const p = pick(
          held.filter((h) => h.kind === 'bank' && h.status === 'open'),
          s.pick,
        );
        if (!p) continue;
        f.h.returnDebit(p.processorId, 'R01');
        await webhook(p.processorId);
        p.status = 'gone';
      } else if (s.op === 'chargeback') {
        const p = pick(
          held.filter((h) => h.kind === 'card' && h.status === 'open' && h.refunded === 0),
          s.pick,
        );
        if (!p) continue;
        f.h.stripe!.dispute(p.processorId);
        await webhook(p.processorId);
        p.status = 'gone';
      } else if (s.op === 'settle') {
        const p = pick(
          held.filter((h) => h.kind === 'bank' && h.status === 'open'),
          s.pick,
        );
        if (!p) continue;
        f.h.stripe!.settleBankPayment(p.processorId);
        await webhook(p.processorId);
        p.status = 'settled';
        continue;
      } else {
        await f.ok('POST', '/v1/close-of-business', { date: businessDate });
        businessDate = addDays(businessDate as CalendarDate, 1);
        written = false;
        continue;
      }
      written = true;
    }
    // The store equals the replay of the open day (written today) or of the last closed day.
    const at = written
      ? { asOf: businessDate as CalendarDate, closeOfBusiness: false }
      : { asOf: addDays(businessDate as CalendarDate, -1), closeOfBusiness: true };
    expect(await reconcile(f.t.ctx.database.db, servicingOf, f.tenantId, at, [loanId])).toEqual([]);

    const loan = await f.ok('GET', `/v1/loans/${loanId}`);
    const received = (loan.balances.cash ?? 0) + loan.amount;
    const ids = new Set(held.map((h) => h.processorId));
    const atProcessor = f.h
      .stripe!.ledger()
      .entries.filter((e) => ids.has(e.paymentIntent))
      .reduce((s, e) => s + e.net + (e.status === 'processing' ? e.amount : 0), 0);
    expect(atProcessor).toBe(received);
    for (const h of held) {
      const p: Json = await f.ok('GET', `/v1/payments/${h.id}`);
      expect(p.loan.error ?? null).toBeNull();
    }
    return true;
  }

  it('holds for random sequences of collections, refunds, returns and chargebacks', async () => {
    const card = await f.method('card');
    const bank = await f.method('bank');
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 7 }), async (steps) => {
        const loanId = await f.loan({ disbursement_date: businessDate });
        return run(loanId, steps, card, bank);
      }),
      { numRuns: 12, endOnFailure: true },
    );
  }, 600_000);
});
