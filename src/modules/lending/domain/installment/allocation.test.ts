import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms, loanTermsArb } from '../../../../../test/support/lending/installment.js';
import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { allocatePayment } from './allocation.js';
import { installmentsFromSchedule, outstandingOf, totalOutstanding } from './installments.js';
import { generateSchedule } from './schedule.js';
import { COMPONENTS } from './terms.js';

// $12,000 at 12% over 12 months from 2024-01-15: installments of $1,066.19 due on the 15th.
const base = loanTerms();
const fresh = (terms = base) => installmentsFromSchedule(generateSchedule(terms).rows);

describe('payment waterfall', () => {
  it('pays past-due installments oldest first, then the one due, each penalties → fees → interest → principal', () => {
    const rows = fresh();
    rows[0]!.due.penalties = 2500;
    rows[1]!.due.fees = 1000;
    const a = allocatePayment(rows, { amount: 2 * 106_619 + 3500 + 10_000, date: d('2024-03-15') }, base);
    expect(a.lines.slice(0, 6)).toEqual([
      { installment: 1, component: 'penalties', amount: 2500, bucket: 'past_due' },
      { installment: 1, component: 'interest', amount: 12_000, bucket: 'past_due' },
      { installment: 1, component: 'principal', amount: 94_619, bucket: 'past_due' },
      { installment: 2, component: 'fees', amount: 1000, bucket: 'due' },
      { installment: 2, component: 'interest', amount: 11_054, bucket: 'due' },
      { installment: 2, component: 'principal', amount: 95_565, bucket: 'due' },
    ]);
    // The $100 beyond goes to the next installment, in advance.
    expect(a.lines[6]).toEqual({ installment: 3, component: 'interest', amount: 10_000, bucket: 'advance' });
    expect(a.credit).toBe(0);
    expect(rows[0]!.paid.principal).toBe(0); // the input is not modified
  });

  it('follows the program’s component order', () => {
    const t = { ...base, allocationOrder: ['principal', 'interest', 'fees', 'penalties'] as const };
    const rows = fresh(t);
    rows[0]!.due.penalties = 2500;
    const a = allocatePayment(rows, { amount: 100_000, date: d('2024-02-20') }, t);
    expect(a.lines.map((l) => [l.component, l.amount])).toEqual([
      ['principal', 94_619],
      ['interest', 5381],
    ]);
  });

  it('next_installment pays the nearest future installments in full; last_installment the last first', () => {
    const next = allocatePayment(fresh(), { amount: 150_000, date: d('2024-01-20') }, base);
    expect(next.lines.map((l) => l.installment)).toEqual([1, 1, 2, 2]);
    const t = { ...base, futureInstallments: 'last_installment' as const };
    const last = allocatePayment(fresh(t), { amount: 150_000, date: d('2024-01-20') }, t);
    expect(last.lines.map((l) => l.installment)).toEqual([12, 12, 11, 11]);
    expect(last.lines.every((l) => l.bucket === 'advance')).toBe(true);
  });

  it('reamortize prepays principal and spreads the lower balance over the same remaining dates', () => {
    const t = { ...base, futureInstallments: 'reamortize' as const };
    let rows = fresh(t);
    rows = allocatePayment(rows, { amount: 106_619, date: d('2024-02-15') }, t).installments;
    const a = allocatePayment(rows, { amount: 200_000, date: d('2024-02-20') }, t);
    expect(a.lines).toEqual([{ installment: 2, component: 'principal', amount: 200_000, bucket: 'advance' }]);
    const after = a.installments;
    // Installment 2 keeps its own $955.65 principal due, plus the $2,000 prepaid on it.
    expect(after[1]!.due.principal).toBe(95_565 + 200_000);
    expect(outstandingOf(after[1]!, 'principal')).toBe(95_565);
    // Balance after installment 2 was $10,098.16; $8,098.16 now amortizes over months 3-12 at 1%.
    const tail = after.slice(2);
    expect(tail[0]!.openingBalance).toBe(809_816);
    expect(tail[0]!.due.interest).toBe(8098);
    expect(tail.reduce((s, r) => s + r.due.principal, 0)).toBe(809_816);
    expect(new Set(tail.slice(0, -1).map((r) => r.due.principal + r.due.interest)).size).toBe(1);
    expect(tail.map((r) => r.dueDate)).toEqual(rows.slice(2).map((r) => r.dueDate));
    expect(after.reduce((s, r) => s + r.due.principal, 0)).toBe(1_200_000);
  });

  it('leaves what nothing is owed for as a credit', () => {
    const a = allocatePayment(fresh(), { amount: 2_000_000, date: d('2024-01-20') }, base);
    const scheduled = generateSchedule(base).totals.total;
    expect(a.credit).toBe(2_000_000 - scheduled);
    expect(totalOutstanding(a.installments)).toEqual({ penalties: 0, fees: 0, interest: 0, principal: 0 });
  });
});

describe('waterfall invariants, any terms and payments', () => {
  it('allocations sum to the payment, never overpay a component, and keep principal equal to the amount financed', () => {
    fc.assert(
      fc.property(
        loanTermsArb(36),
        fc.array(
          fc.record({ day: fc.nat(), amount: fc.integer({ min: 1, max: 5_000_000 }), fee: fc.nat(5000) }),
          {
            maxLength: 8,
          },
        ),
        (terms, payments) => {
          let rows = installmentsFromSchedule(generateSchedule(terms).rows);
          const span = daysBetween(terms.disbursementDate, rows[rows.length - 1]!.dueDate) + 60;
          const dates = payments.map((p) => addDays(terms.disbursementDate, p.day % span)).sort();
          payments.forEach((p, k) => {
            const date: CalendarDate = dates[k]!;
            rows[k % rows.length]!.due.fees += p.fee;
            const a = allocatePayment(rows, { amount: p.amount, date }, terms);
            expect(a.lines.reduce((s, l) => s + l.amount, 0) + a.credit).toBe(p.amount);
            expect(a.lines.every((l) => l.amount > 0)).toBe(true);
            for (const r of a.installments)
              for (const c of COMPONENTS) {
                expect(outstandingOf(r, c)).toBeGreaterThanOrEqual(0);
                expect(r.paid[c]).toBeGreaterThanOrEqual(0);
              }
            if (a.credit > 0) expect(totalOutstanding(a.installments)).toEqual(totalOutstanding([]));
            expect(a.installments.reduce((s, r) => s + r.due.principal, 0)).toBe(terms.amountFinanced);
            rows = a.installments;
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
