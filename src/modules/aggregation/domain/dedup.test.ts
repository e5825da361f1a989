import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../kernel/dates.js';
import { planTransactions, type StoredTransaction } from './dedup.js';
import type { ProviderTransactionData, TransactionStatus } from './types.js';

const txn = (
  id: string,
  amount: number,
  date = '2024-04-10',
  status: TransactionStatus = 'settled',
): ProviderTransactionData => ({
  providerTransactionId: id,
  transactionType: 'purchase',
  subtype: 'pos',
  status,
  amount,
  currency: 'USD',
  description: 'CAFE',
  memo: null,
  transactionDate: date as CalendarDate,
  settlementDate: null,
  pendingTransactionId: null,
  checkNumber: null,
  symbol: null,
  quantity: null,
  unitPrice: null,
  commission: null,
});

const stored = (id: string, amount: number, over: Partial<StoredTransaction> = {}): StoredTransaction => ({
  id: `row-${id}-${amount}-${over.variant ?? 0}`,
  providerTransactionId: id,
  variant: 0,
  amount,
  transactionDate: '2024-04-10',
  status: 'settled',
  reviewReason: null,
  claimed: false,
  ...over,
});

describe('planTransactions', () => {
  it('inserts what is new, in order, as variant 0', () => {
    const plan = planTransactions([txn('A', -100), txn('B', -200)], []);
    expect(plan.inserts.map((i) => [i.txn.providerTransactionId, i.variant, i.review])).toEqual([
      ['A', 0, null],
      ['B', 0, null],
    ]);
    expect(plan).toMatchObject({ updates: [], flags: [], unchanged: 0 });
  });

  it('the same id with the same amount and date is the stored transaction', () => {
    expect(planTransactions([txn('A', -100)], [stored('A', -100)])).toMatchObject({
      inserts: [],
      updates: [],
      unchanged: 1,
    });
  });

  it('the same id with another amount is kept beside the stored one, both flagged as a conflict', () => {
    const plan = planTransactions([txn('A', 500)], [stored('A', -100)]);
    expect(plan.inserts).toEqual([expect.objectContaining({ variant: 1, review: 'fitid_conflict' })]);
    expect(plan.flags).toEqual([{ id: 'row-A--100-0', reason: 'fitid_conflict' }]);
  });

  it('the same id with another date is a conflict too', () => {
    const plan = planTransactions([txn('A', -100, '2024-04-11')], [stored('A', -100)]);
    expect(plan.inserts[0]!.review).toBe('fitid_conflict');
  });

  it('one id twice in a batch, identical: both kept, flagged as repeated', () => {
    const plan = planTransactions([txn('A', -100), txn('A', -100)], []);
    expect(plan.inserts.map((i) => [i.variant, i.review])).toEqual([
      [0, 'fitid_repeated'],
      [1, 'fitid_repeated'],
    ]);
  });

  it('a claimed stored row is not matched again (it was paired with an identical incoming one)', () => {
    const plan = planTransactions([txn('A', -100)], [stored('A', -100, { claimed: true })]);
    expect(plan.inserts).toEqual([expect.objectContaining({ variant: 1, review: 'fitid_repeated' })]);
  });

  it('a pending row takes the posted version under the same id, even with a new amount and date', () => {
    const plan = planTransactions([txn('A', -120, '2024-04-12')], [stored('A', -100, { status: 'pending' })]);
    expect(plan.updates).toEqual([{ id: 'row-A--100-0', txn: expect.objectContaining({ amount: -120 }) }]);
    expect(plan.inserts).toEqual([]);
  });

  it('status moves forward only: settled never goes back to pending; it can be cancelled', () => {
    expect(planTransactions([txn('A', -100, '2024-04-10', 'pending')], [stored('A', -100)])).toMatchObject({
      updates: [],
      unchanged: 1,
    });
    expect(
      planTransactions([txn('A', -100, '2024-04-10', 'cancelled')], [stored('A', -100)]).updates,
    ).toHaveLength(1);
    // A cancellation names the transaction by id, whatever amount it repeats.
    expect(
      planTransactions([txn('A', 0, '2024-04-11', 'cancelled')], [stored('A', -100)]).updates,
    ).toHaveLength(1);
  });

  it('a flag already set with the same reason is not set again', () => {
    const plan = planTransactions(
      [txn('A', 300)],
      [
        stored('A', -100, { reviewReason: 'fitid_conflict' }),
        stored('A', 200, { variant: 1, reviewReason: 'fitid_conflict' }),
      ],
    );
    expect(plan.inserts).toEqual([expect.objectContaining({ variant: 2 })]);
    expect(plan.flags).toEqual([]);
  });

  it('property: importing any batch twice changes nothing the second time', () => {
    const batch = fc.array(
      fc.record({
        id: fc.constantFrom('A', 'B', 'C', 'D'),
        amount: fc.integer({ min: -500, max: 500 }),
        day: fc.integer({ min: 10, max: 12 }),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(batch, (items) => {
        const incoming = items.map((i) => txn(i.id, i.amount, `2024-04-${i.day}`));
        const first = planTransactions(incoming, []);
        expect(first.inserts).toHaveLength(incoming.length);
        // What the store would hold after the first import; the SQL pre-filter would claim identical rows.
        const rows: StoredTransaction[] = first.inserts.map((i, n) => ({
          id: `r${n}`,
          providerTransactionId: i.txn.providerTransactionId,
          variant: i.variant,
          amount: i.txn.amount,
          transactionDate: i.txn.transactionDate,
          status: i.txn.status,
          reviewReason: i.review,
          claimed: false,
        }));
        const second = planTransactions(incoming, rows);
        expect(second).toEqual({ inserts: [], updates: [], flags: [], unchanged: incoming.length });
      }),
    );
  });
});
