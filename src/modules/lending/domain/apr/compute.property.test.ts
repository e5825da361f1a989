import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, type CalendarDate, daysInMonth, fromParts } from '../../../../kernel/dates.js';
import { roundMinor } from '../../../../kernel/money.js';
import { type AprFlow, computeApr } from './compute.js';

interface Frequency {
  label: string;
  perYear: number;
  /** Date of the k-th payment (k = 1 is one unit-period after the advance). */
  date: (advance: CalendarDate, k: number) => CalendarDate;
  /** Advance days this frequency can start on so that every payment is exactly k unit-periods out. */
  maxDay: number;
}

const frequencies: Frequency[] = [
  { label: 'weekly', perYear: 52, date: (a, k) => addDays(a, 7 * k), maxDay: 31 },
  { label: 'biweekly', perYear: 26, date: (a, k) => addDays(a, 14 * k), maxDay: 31 },
  { label: 'every_4_weeks', perYear: 13, date: (a, k) => addDays(a, 28 * k), maxDay: 31 },
  // On day d and d + 15 of each month: keep d + 15 within every month.
  {
    label: 'semimonthly',
    perYear: 24,
    date: (a, k) => (k % 2 === 0 ? addMonths(a, k / 2) : addDays(addMonths(a, (k - 1) / 2), 15)),
    maxDay: 13,
  },
  { label: 'monthly', perYear: 12, date: (a, k) => addMonths(a, k), maxDay: 31 },
  { label: 'quarterly', perYear: 4, date: (a, k) => addMonths(a, 3 * k), maxDay: 31 },
  { label: 'semiannual', perYear: 2, date: (a, k) => addMonths(a, 6 * k), maxDay: 31 },
  { label: 'annual', perYear: 1, date: (a, k) => addMonths(a, 12 * k), maxDay: 31 },
];

const loan = fc.record({
  frequency: fc.constantFrom(...frequencies),
  year: fc.integer({ min: 1990, max: 2060 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  count: fc.integer({ min: 2, max: 120 }),
  // Annual rate in basis points: 0.01% to 60%.
  rateBp: fc.integer({ min: 1, max: 6000 }),
  // Large payments so that rounding the advance to a minor unit cannot move the rate by 1e-6.
  payment: fc.integer({ min: 10_000_000, max: 2_000_000_000 }),
});

describe('computeApr properties', () => {
  it('recovers the rate of a level-payment loan generated at that rate', () => {
    fc.assert(
      fc.property(loan, ({ frequency, year, month, day, count, rateBp, payment }) => {
        const start = fromParts(year, month, Math.min(day, frequency.maxDay, daysInMonth(year, month)));
        const annual = new Decimal(rateBp).div(10_000);
        const i = annual.div(frequency.perYear);
        const payments: AprFlow[] = [];
        let presentValue = new Decimal(0);
        for (let k = 1; k <= count; k++) {
          payments.push({ amount: payment, date: frequency.date(start, k) });
          presentValue = presentValue.plus(new Decimal(payment).div(i.plus(1).pow(k)));
        }
        const result = computeApr({
          advances: [{ amount: roundMinor(presentValue), date: start }],
          payments,
        });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.unitPeriod).toBe(frequency.label);
        const recovered = new Decimal(result.value.aprExact).div(100);
        expect(recovered.minus(annual).abs().toNumber()).toBeLessThan(1e-6);
      }),
      { numRuns: 150 },
    );
  });

  it('never lowers the APR when a payment grows', () => {
    fc.assert(
      fc.property(loan, fc.nat(), fc.integer({ min: 1, max: 100_000 }), (l, which, extra) => {
        const frequency = l.frequency;
        const start = fromParts(l.year, l.month, Math.min(l.day, frequency.maxDay, 28));
        const count = Math.min(l.count, 24);
        const payments = Array.from({ length: count }, (_, k) => ({
          amount: l.payment,
          date: frequency.date(start, k + 1),
        }));
        const advances = [{ amount: l.payment * count - l.payment, date: start }];
        const base = computeApr({ advances, payments });
        const bumped = payments.map((p, k) => (k === which % count ? { ...p, amount: p.amount + extra } : p));
        const higher = computeApr({ advances, payments: bumped });
        expect(base.ok && higher.ok).toBe(true);
        if (!base.ok || !higher.ok) return;
        expect(new Decimal(higher.value.aprExact).greaterThanOrEqualTo(base.value.aprExact)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
