import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fineractProgressive360 } from '../../../../../test/support/lending/fineract-progressive.js';
import { loanTerms } from '../../../../../test/support/lending/installment.js';
import {
  expectRecalculationInvariants,
  recalculationHistory,
  recalculationStepArb,
  replayed,
} from '../../../../../test/support/lending/recalculation.js';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { stretchInterest } from './recalculation-progressive.js';

// The stretch bookkeeping of progressive recalculation (recalculation-progressive.ts): whatever the payments and
// reversals, once the loan has run to maturity every installment's interest is the sum over the stretches of its
// period of round(B × R × φ × days / period days), each stretch rounded on its own, a stretch ending only where B
// changes. B is the principal disbursed less the principal paid by then (overdue principal included), plus, with rest
// same_as_repayment, the overdue principal paid since the last due date (it earns until the next one): recomputed
// here from the payments' lines.

const loanArb = fc.record({
  principal: fc.integer({ min: 1_000, max: 5_000_000 }),
  rate: fc.constantFrom('0', '4.5', '7', '9.99', '12', '36'),
  terms: fc.integer({ min: 2, max: 12 }),
  month: fc.constantFrom('30', 'actual'),
  year: fc.constantFrom('360', '365', 'actual'),
  rest: fc.constantFrom('daily', 'same_as_repayment'),
  steps: fc.array(recalculationStepArb, { maxLength: 6 }),
});

type LoanDraw = typeof loanArb extends fc.Arbitrary<infer T> ? T : never;
const termsOf = (g: LoanDraw) =>
  loanTerms(
    {
      ...fineractProgressive360,
      days_in_month: g.month,
      days_in_year: g.year,
      interest_recalculation: { rest: g.rest, compounding: 'none' },
    },
    {
      principal: g.principal,
      annual_interest_rate: g.rate,
      term_count: g.terms,
      disbursement_date: '2024-01-10',
    },
  );

describe('progressive recalculation: each installment earns the sum of its stretches, each rounded', () => {
  it('for any payments and reversals, early, on time or late, with rest daily or same_as_repayment', () => {
    fc.assert(
      fc.property(loanArb, (g) => {
        const terms = termsOf(g);
        const events = recalculationHistory(terms, g.steps);
        const s = expectRecalculationInvariants(terms, events, addDays(terms.disbursementDate, 500));
        const dueDates = s.installments.map((r) => r.dueDate);
        const restOf = (date: CalendarDate) =>
          g.rest === 'daily' ? date : (dueDates.find((due) => due >= date) ?? date);
        const lines = s.payments
          .filter((p) => p.reversedOn === null)
          .flatMap((p) => p.lines.map((l) => ({ ...l, date: p.date })))
          .filter((l) => l.component === 'principal');
        // B on `date`, after its payments.
        const balance = (date: CalendarDate) => {
          let b = terms.amountFinanced;
          for (const l of lines)
            if (l.date <= date) b -= l.bucket === 'past_due' && restOf(l.date) > date ? 0 : l.amount;
          return b;
        };
        const changes = [...new Set(lines.map((l) => l.date))].sort();
        for (const row of s.installments) {
          let since = row.periodStart;
          let b = balance(since);
          let expected = 0;
          for (const t of changes.filter((t) => t > row.periodStart && t < row.dueDate)) {
            if (balance(t) === b) continue;
            expected += stretchInterest(s.basis, row, b, since, t);
            [since, b] = [t, balance(t)];
          }
          expected += stretchInterest(s.basis, row, b, since, row.dueDate);
          expect(row.interestAccrual).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with nothing paid, every installment but the last keeps its amount as overdue periods start', () => {
    // Fineract's RepaymentPeriod.getDuePrincipal = EMI − due interest (keepInstallmentsFrom): the overdue principal's
    // interest comes out of each installment's principal, the last row takes what remains.
    fc.assert(
      fc.property(loanArb, fc.integer({ min: 0, max: 400 }), (g, days) => {
        const terms = termsOf(g);
        const events = recalculationHistory(terms, []);
        const total = (r: { due: { principal: number; interest: number } }) =>
          r.due.principal + r.due.interest;
        const scheduled = replayed(terms, events, '2024-01-10').installments.map(total);
        const rows = expectRecalculationInvariants(
          terms,
          events,
          addDays(terms.disbursementDate, days),
        ).installments;
        const kept = rows.slice(0, -1).map(total);
        expect(kept).toEqual(scheduled.slice(0, -1));
      }),
      { numRuns: 60 },
    );
  });
});
