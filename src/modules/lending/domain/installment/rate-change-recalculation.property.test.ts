import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fineractProgressive360 } from '../../../../../test/support/lending/fineract-progressive.js';
import { loanTerms } from '../../../../../test/support/lending/installment.js';
import {
  expectRecalculationInvariants,
  recalculationHistory,
  recalculationStepArb,
} from '../../../../../test/support/lending/recalculation.js';
import { addDays } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { replay } from './replay.js';
import type { LoanTerms } from './terms.js';

// The `rate_change` action on recalculating loans (rate-change.ts `changeRecalculatedRate`) over any history of
// payments and reversals: the recalculation's invariants hold, and on daily recalculation a change to the rate in
// force changes no interest before maturity (the running row's interest is its accrual to the date plus the balance to
// its due date, which is how accrual is counted back from the due date: recalculation.ts).

const loanArb = fc.record({
  principal: fc.integer({ min: 1_000, max: 5_000_000 }),
  rate: fc.constantFrom('4.5', '7', '12', '36'),
  newRate: fc.constantFrom('0', '3', '9.99', '24'),
  progressive: fc.boolean(),
  rest: fc.constantFrom('daily', 'same_as_repayment'),
  steps: fc.array(recalculationStepArb, { maxLength: 4 }),
  changeDay: fc.integer({ min: 0, max: 400 }),
});

function termsOf(g: { principal: number; rate: string; progressive: boolean; rest: string }): LoanTerms {
  const recalculation = { interest_recalculation: { rest: g.rest, compounding: 'none' } };
  const options = g.progressive
    ? { ...fineractProgressive360, ...recalculation }
    : { interest_calculation: 'daily', day_count: 'actual/365', ...recalculation };
  return loanTerms(options, {
    principal: g.principal,
    annual_interest_rate: g.rate,
    term_count: 6,
    disbursement_date: '2024-01-10',
  });
}

const change = (terms: LoanTerms, day: number, rate: string): LoanEvent => ({
  id: 'rate',
  sequence: 100,
  effectiveDate: addDays(terms.disbursementDate, day),
  type: 'rate_change',
  annualInterestRate: rate,
});

describe('rate_change on a recalculating loan', () => {
  it('keeps the recalculation invariants for any payments and reversals around it', () => {
    fc.assert(
      fc.property(loanArb, (g) => {
        const terms = termsOf(g);
        const history = recalculationHistory(terms, g.steps);
        const events = [...history, change(terms, g.changeDay, g.newRate)];
        const asOf = addDays(terms.disbursementDate, 500);
        // A change after the loan was paid off is refused (rate_change needs a loan in servicing).
        if (!replay(terms, events, asOf).ok) return;
        const s = expectRecalculationInvariants(terms, events, asOf);
        // The progressive schedule's period factors stay on the basis (the close of business reads them).
        const without = replay(terms, history, asOf);
        if (!without.ok) throw new Error(without.error.message);
        expect(s.basis.periodFactors).toEqual(without.value.basis.periodFactors);
      }),
      { numRuns: 25 },
    );
  });

  it('daily: a change to the rate in force before maturity changes no interest', () => {
    fc.assert(
      fc.property(loanArb, (g) => {
        const terms = termsOf({ ...g, progressive: false });
        const history = recalculationHistory(terms, g.steps);
        // Before the last due date (day 182): past it the stretch after maturity re-anchors, each part rounded.
        const day = g.changeDay % 150;
        const asOf = addDays(terms.disbursementDate, 500);
        const same = replay(terms, [...history, change(terms, day, g.rate)], asOf);
        if (!same.ok) return;
        const without = replay(terms, history, asOf);
        if (!without.ok) throw new Error(without.error.message);
        // Interest only: the reschedule strategy runs after any event and may split an installment's principal
        // differently (reschedule.ts), as after a fee or a waiver.
        const interest = (s: typeof same.value) => s.installments.map((r) => [r.interestAccrual, r.accrued]);
        expect(interest(same.value)).toEqual(interest(without.value));
        expect(same.value.balances).toEqual(without.value.balances);
      }),
      { numRuns: 25 },
    );
  });
});
