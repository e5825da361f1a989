import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { type LoanState, replay } from './replay.js';
import type { LoanTerms } from './terms.js';

// $12,000 at 12% over 12 months from 2024-01-15: $1,066.19 due on the 15th; $25 late after 10 days; charge-off at 60.
const terms: LoanTerms = {
  ...loanTerms(),
  lateFee: { type: 'flat', amount: 2500, graceDays: 10 },
  delinquency: { ...loanTerms().delinquency, chargeOffAfterDays: 60 },
};
const INSTALLMENT = 106_619;

const ev = (k: number, date: string, spec: Record<string, unknown>): LoanEvent =>
  ({ id: `e${k}`, sequence: k, effectiveDate: d(date), ...spec }) as LoanEvent;
const base = [
  ev(1, '2024-01-10', { type: 'approve' }),
  ev(2, '2024-01-15', { type: 'disburse' }),
  ev(3, '2024-02-15', { type: 'payment', amount: INSTALLMENT }),
];
const reversal = (date: string, returned: boolean) =>
  ev(4, date, { type: 'payment_reversal', paymentId: 'e3', ...(returned && { assessFrom: d(date) }) });

function run(evs: LoanEvent[], asOf: string, closeOfBusiness = true): LoanState {
  const r = replay(terms, evs, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  expect(r.value.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
}
const penalties = (s: LoanState) =>
  s.journal.filter((e) => e.kind === 'charge').map((e) => [e.date, e.lines[0]!.amount]);

describe('returned payments (returns.ts)', () => {
  it('a plain reversal restates the late fee on the closed grace day; a return charges it on its own day', () => {
    const restated = run([...base, reversal('2024-03-05', false)], '2024-03-05', false);
    expect(penalties(restated)).toEqual([['2024-02-25', 2500]]);

    const during = run([...base, reversal('2024-03-05', true)], '2024-03-05', false);
    expect(penalties(during)).toEqual([]);
    expect(during.installments[0]!.lateFeeAssessed).toBe(false);
    // Delinquency counts from the installment's due date; what was closed stays as it was.
    expect(during.daysPastDue).toBe(19);
    expect(during.balances.loans_receivable).toBe(restated.balances.loans_receivable);
    expect(during.balances.interest_income).toBe(restated.balances.interest_income);

    const closed = run([...base, reversal('2024-03-05', true)], '2024-03-05');
    expect(penalties(closed)).toEqual([['2024-03-05', 2500]]);
    // Later installments are checked on their own grace days as usual.
    expect(penalties(run([...base, reversal('2024-03-05', true)], '2024-03-26'))).toEqual([
      ['2024-03-05', 2500],
      ['2024-03-25', 2500],
    ]);
  });

  it('a late fee the loan owed anyway stays where it was', () => {
    // Paid on 2024-02-28, after the grace days: the fee of 2024-02-25 was charged before the return too.
    const late = [...base.slice(0, 2), ev(3, '2024-02-28', { type: 'payment', amount: INSTALLMENT })];
    expect(penalties(run([...late, reversal('2024-03-05', true)], '2024-03-05'))).toEqual([
      ['2024-02-25', 2500],
    ]);
  });

  it('does not charge the loan off on a closed day: from the business date of the return', () => {
    // Returned on 2024-04-20, 65 days after the due date: restated history would charge off on 2024-04-15.
    const restated = run([...base, reversal('2024-04-20', false)], '2024-04-20');
    expect(restated.journal.find((e) => e.kind === 'charge_off')?.date).toBe('2024-04-15');
    const returned = run([...base, reversal('2024-04-20', true)], '2024-04-20');
    expect(returned.journal.find((e) => e.kind === 'charge_off')?.date).toBe('2024-04-20');
    expect(run([...base, reversal('2024-04-20', true)], '2024-04-20', false).status).toBe('delinquent');
  });
});
