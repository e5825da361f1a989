import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fineractProgressive360 } from '../../../../../test/support/lending/fineract-progressive.js';
import { loanTerms } from '../../../../../test/support/lending/installment.js';
import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { stretchInterest } from './recalculation-progressive.js';
import { replay } from './replay.js';
import { generateSchedule } from './schedule.js';

// The stretch bookkeeping of progressive recalculation (recalculation-progressive.ts): whatever the payments, once
// the loan has run to maturity every installment's interest is the sum over the stretches of its period between
// balance changes of round(P × R × φ × days / period days), P the principal disbursed less the principal paid by
// then (overdue principal included), each stretch rounded on its own: recomputed here from the payments' principal.

const loanArb = fc.record({
  principal: fc.integer({ min: 1_000, max: 5_000_000 }),
  rate: fc.constantFrom('0', '4.5', '7', '9.99', '12', '36'),
  terms: fc.integer({ min: 2, max: 12 }),
  month: fc.constantFrom('30', 'actual'),
  year: fc.constantFrom('360', '365', 'actual'),
  payments: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 400 }),
      share: fc.double({ min: 0.05, max: 1.6, noNaN: true }),
    }),
    { maxLength: 6 },
  ),
});

describe('progressive recalculation: each installment earns the sum of its stretches, each rounded', () => {
  it('for any payments, early, on time or late', () => {
    fc.assert(
      fc.property(loanArb, (g) => {
        const terms = loanTerms(
          { ...fineractProgressive360, days_in_month: g.month, days_in_year: g.year },
          {
            principal: g.principal,
            annual_interest_rate: g.rate,
            term_count: g.terms,
            disbursement_date: '2024-01-10',
          },
        );
        const rows = generateSchedule(terms).rows;
        const start = terms.disbursementDate;
        const end = rows.at(-1)!.dueDate;
        const installment = rows[0]!.total;
        const payments = g.payments
          .map((p) => ({ date: addDays(start, p.day % (1 + daysBetween(start, end))), share: p.share }))
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
        const events: LoanEvent[] = [
          { id: 'approve', sequence: 1, effectiveDate: start, type: 'approve' },
          { id: 'disburse', sequence: 2, effectiveDate: start, type: 'disburse' },
          ...payments.map(
            (p, k): LoanEvent => ({
              id: `p${k}`,
              sequence: 3 + k,
              effectiveDate: p.date,
              type: 'payment',
              amount: Math.max(1, Math.round(installment * p.share)),
            }),
          ),
        ];
        const r = replay(terms, events, addDays(end, 1), { closeOfBusiness: true });
        if (!r.ok) throw new Error(r.error.message);
        const s = r.value;
        expect(s.journal.every(isBalanced)).toBe(true);
        expect(journalBalances(s.journal)).toEqual(s.balances);
        // Principal paid by each date (a payment lowers P from its own date).
        const paidBy = (date: CalendarDate) =>
          s.payments
            .filter((p) => p.date <= date && p.reversedOn === null)
            .flatMap((p) => p.lines)
            .filter((l) => l.component === 'principal')
            .reduce((a, l) => a + l.amount, 0);
        const changes = [...new Set(s.payments.map((p) => p.date))];
        for (const row of s.installments) {
          const cuts = changes.filter((t) => t > row.periodStart && t < row.dueDate);
          const bounds = [row.periodStart, ...cuts, row.dueDate];
          let expected = 0;
          for (let k = 0; k + 1 < bounds.length; k++) {
            const balance = terms.amountFinanced - paidBy(bounds[k]!);
            expected += stretchInterest(s.basis, row, balance, bounds[k]!, bounds[k + 1]!);
          }
          expect(row.interestAccrual).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
