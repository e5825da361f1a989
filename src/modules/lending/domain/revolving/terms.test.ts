import { describe, expect, it } from 'vitest';
import { lineProgram, lineTerms } from '../../../../../test/support/lending/revolving.js';
import { lineProgramTermsSchema, resolveLineTerms } from './terms.js';

const program = lineProgramTermsSchema.parse(lineProgram);
const paths = (request: unknown) => {
  const result = resolveLineTerms(program, request);
  return result.ok ? [] : (result.error.fields?.map((f) => f.path) ?? []);
};

describe('line of credit terms', () => {
  it('resolves a request with the program defaults', () => {
    expect(lineTerms()).toEqual({
      currency: 'USD',
      creditLimit: 500000,
      annualRate: '18',
      dayCount: 'actual/365',
      cycleDay: 15,
      minimumPayment: { floor: 2500, percent: '2' },
      paymentDueDays: 25,
      lateFee: { type: 'flat', amount: 3000, graceDays: 0 },
      allocationOrder: ['fees', 'interest', 'principal'],
      rounding: { mode: 'half_even', installmentMultiple: 1 },
      openDate: '2024-01-10',
    });
  });

  it('reports out-of-bounds and malformed request fields by path', () => {
    const base = { credit_limit: 500000, open_date: '2024-01-10' };
    expect(paths({ ...base, credit_limit: 10_000_000, annual_interest_rate: '40', cycle_day: 31 })).toEqual([
      'credit_limit',
      'annual_interest_rate',
    ]);
    expect(paths({ ...base, cycle_day: 0 })).toEqual(['cycle_day']);
    expect(paths({ ...base, open_date: 'soon', extra: 1 })).toEqual(['open_date', 'extra']);
  });

  it('keeps the program within Regulation Z and its own bounds', () => {
    const issues = (p: Record<string, unknown>) =>
      lineProgramTermsSchema.safeParse({ ...lineProgram, ...p }).error?.issues.map((i) => i.path.join('.')) ??
      [];
    expect(issues({ payment_due_days: 20 })).toEqual(['payment_due_days']);
    expect(issues({ allocation_order: ['fees', 'fees', 'principal'] })).toEqual(['allocation_order']);
    expect(issues({ minimum_payment: { floor: 100, percent: '101' } })).toEqual(['minimum_payment.percent']);
    expect(issues({ late_fee: { type: 'flat', amount: 3000, grace_days: 5 } })).toEqual([
      'late_fee.grace_days',
    ]);
    expect(issues({ day_count: 'actual/364' })).toEqual(['day_count']);
  });
});
