import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineTerms } from '../../../../../test/support/lending/revolving.js';
import { addDays, daysBetween } from '../../../../kernel/dates.js';
import { ROUNDING_MODES } from '../../../../kernel/money.js';
import { REVOLVING_DAY_COUNTS } from '../day-count.js';
import { assessLateFee, balanceOf, draw, type LineState, openLine, postFee, postPayment } from './line.js';
import { closeCycle } from './statement.js';
import { ALLOCATION_TARGETS } from './terms.js';

const op = fc.record({
  kind: fc.constantFrom('draw', 'payment', 'fee', 'late_fee_check'),
  day: fc.nat({ max: 30 }),
  amount: fc.integer({ min: 1, max: 300_000 }),
});

const scenario = fc.record({
  rate: fc.constantFrom('5', '12.5', '18.99', '36'),
  dayCount: fc.constantFrom(...REVOLVING_DAY_COUNTS),
  cycleDay: fc.integer({ min: 1, max: 31 }),
  openDay: fc.integer({ min: 0, max: 2000 }),
  floor: fc.integer({ min: 0, max: 5000 }),
  percent: fc.constantFrom('1', '2.5', '10', '100'),
  order: fc.shuffledSubarray([...ALLOCATION_TARGETS], { minLength: 3, maxLength: 3 }),
  mode: fc.constantFrom(...ROUNDING_MODES),
  cycles: fc.array(fc.array(op, { maxLength: 12 }), { minLength: 1, maxLength: 6 }),
});

describe('line of credit statement properties', () => {
  it('balances every statement and keeps the minimum payment within the balance', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const terms = lineTerms(
          {
            open_date: addDays(lineTerms().openDate, s.openDay),
            annual_interest_rate: s.rate,
            cycle_day: s.cycleDay,
          },
          {
            day_count: s.dayCount,
            minimum_payment: { floor: s.floor, percent: s.percent },
            allocation_order: s.order,
            rounding: { mode: s.mode, installment_multiple: 1 },
          },
        );
        let line: LineState = openLine(terms);
        for (const ops of s.cycles) {
          const length = daysBetween(line.cycleStart, line.cycleEnd);
          for (const o of [...ops].sort((a, b) => a.day - b.day)) {
            const date = addDays(line.cycleStart, Math.min(o.day, length));
            const amount = o.kind === 'payment' ? Math.min(o.amount, balanceOf(line)) : o.amount;
            if (amount <= 0) continue;
            const next =
              o.kind === 'draw'
                ? draw(line, { amount, date })
                : o.kind === 'payment'
                  ? postPayment(terms, line, { amount, date })
                  : o.kind === 'fee'
                    ? postFee(line, { amount, date, description: 'other' })
                    : assessLateFee(terms, line, date);
            if (next.ok) line = 'state' in next.value ? next.value.state : next.value;
            else expect(next.error.code).toBe('insufficient_available_credit');
          }
          const closed = closeCycle(terms, line, line.cycleEnd);
          expect(closed.ok).toBe(true);
          if (!closed.ok) return;
          const { statement: st, state } = closed.value;
          expect(st.closingBalance).toBe(st.openingBalance + st.draws + st.interest + st.fees - st.payments);
          expect(st.closingBalance).toBe(balanceOf(state));
          expect(st.interest).toBeGreaterThanOrEqual(0);
          expect(st.minimumPayment).toBeGreaterThanOrEqual(0);
          expect(st.minimumPayment).toBeLessThanOrEqual(st.closingBalance);
          expect(daysBetween(st.statementDate, st.dueDate)).toBeGreaterThanOrEqual(21);
          expect(daysBetween(st.dueDate, state.cycleEnd)).toBeGreaterThan(0);
          expect(Math.min(state.principal, state.interest, state.fees)).toBeGreaterThanOrEqual(0);
          line = state;
        }
      }),
      { numRuns: 150 },
    );
  });
});
