import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loanTermsArb } from '../../../../../test/support/lending/installment.js';
import { generateSchedule } from './schedule.js';

describe('schedule invariants, any terms', () => {
  it('principal sums to the amount financed; no amount is negative; balances chain down to zero', () => {
    fc.assert(
      fc.property(loanTermsArb(360), (terms) => {
        const { rows, totals } = generateSchedule(terms);
        let opening = terms.amountFinanced;
        let principal = 0;
        let interest = 0;
        let earned = 0;
        let fees = totals.feesAtDisbursement;
        for (const r of rows) {
          expect(r.principal).toBeGreaterThanOrEqual(0);
          expect(r.interest).toBeGreaterThanOrEqual(0);
          expect(r.interestAccrual).toBeGreaterThanOrEqual(0);
          expect(r.fees).toBeGreaterThanOrEqual(0);
          expect(r.total).toBe(r.principal + r.interest + r.fees);
          fees += r.fees;
          expect(r.openingBalance).toBe(opening);
          expect(r.balance).toBe(opening - r.principal);
          expect(r.dueDate > r.periodStart).toBe(true);
          opening = r.balance;
          principal += r.principal;
          interest += r.interest;
          earned += r.interestAccrual;
        }
        expect(principal).toBe(terms.amountFinanced);
        expect(totals.principal).toBe(terms.amountFinanced);
        expect(rows[rows.length - 1]!.balance).toBe(0);
        // Deferral moves interest between installments, never creates or loses it.
        expect(interest).toBe(earned);
        expect(totals.interest).toBe(interest);
        expect(totals.fees).toBe(fees);
        expect(totals.total).toBe(principal + interest + fees);
        expect(rows.length).toBeLessThanOrEqual(terms.termCount);
        expect(rows[0]!.periodStart).toBe(terms.disbursementDate);
        expect(rows[0]!.dueDate).toBe(terms.firstPaymentDate);
      }),
      { numRuns: 200 },
    );
  });

  it('equal installments stay level between the first and the last', () => {
    fc.assert(
      fc.property(loanTermsArb(360), (any) => {
        const t = {
          ...any,
          amortization: 'equal_installments' as const,
          interestCalculation: 'per_period' as const,
          rounding: { ...any.rounding, installmentMultiple: 1 },
          charges: [],
          // A rate change re-amortizes from its period: level again from there, not throughout.
          rateChanges: [],
          grace: { principalPeriods: 0, interestPeriods: 0, interestFreePeriods: 0 },
        };
        // Until rounding the level amount up has repaid the principal early (then only flat interest remains).
        const totals = generateSchedule(t)
          .rows.slice(1, -1)
          .filter((r) => r.balance > 0)
          .map((r) => r.total);
        expect(new Set(totals).size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
