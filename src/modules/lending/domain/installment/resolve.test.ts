import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { program } from '../../../../../test/support/lending/installment.js';
import { parseProgramTerms, resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';
import { loanTermsOf } from './terms.js';

const request = { principal: 1_000_000, disbursement_date: '2024-01-15' };
const fieldsOf = (r: ReturnType<typeof resolveLoanTerms>) =>
  r.ok ? [] : (r.error.fields ?? []).map((f) => f.path);

describe('program terms', () => {
  it('fills defaults for every omitted choice', () => {
    const p = program();
    expect(p.interest_method).toBe('declining_balance');
    expect(p.amortization).toBe('equal_installments');
    expect(p.interest_calculation).toBe('per_period');
    expect(p.rounding).toEqual({ mode: 'half_even', installment_multiple: 1 });
    expect(p.allocation_order).toEqual(['penalties', 'fees', 'interest', 'principal']);
    expect(p.future_installments).toBe('next_installment');
    expect(p.payoff_interest).toBe('till_payoff_date');
    expect(p.delinquency).toEqual({ buckets: [30, 60, 90, 120], charge_off_after_days: null });
    expect(p.late_fee).toBeNull();
  });

  it('names the fields of inconsistent bounds and choices', () => {
    const r = parseProgramTerms({
      currency: 'USD',
      annual_interest_rate: { min: '10', max: '5', default: '7' },
      term_count: { min: 12, max: 24, default: 30 },
      principal: { min: 100, max: 1000 },
      interest_method: 'flat',
      future_installments: 'reamortize',
      allocation_order: ['interest', 'interest', 'fees', 'principal'],
      grace: { principal_periods: 12 },
      delinquency: { buckets: [30, 30] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation_failed');
    expect(r.error.fields!.map((f) => f.path).sort()).toEqual([
      'allocation_order',
      'annual_interest_rate.max',
      'delinquency.buckets',
      'future_installments',
      'grace.principal_periods',
      'term_count.default',
    ]);
  });

  it('rejects a non-decimal rate and an unknown currency', () => {
    const r = parseProgramTerms({
      currency: 'XXX',
      annual_interest_rate: { min: '0', max: '1e2', default: '5' },
      term_count: { min: 1, max: 2, default: 1 },
      principal: { min: 1, max: 2 },
    });
    expect(r.ok ? [] : r.error.fields!.map((f) => f.path)).toEqual(['currency', 'annual_interest_rate.max']);
  });
});

describe('resolveLoanTerms', () => {
  it('takes the program defaults and a regular first period', () => {
    const r = resolveLoanTerms(program(), request);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      principal: 1_000_000,
      downPayment: 0,
      amountFinanced: 1_000_000,
      annualInterestRate: '12',
      termCount: 12,
      disbursementDate: '2024-01-15',
      firstPaymentDate: '2024-02-15',
      allocationOrder: ['penalties', 'fees', 'interest', 'principal'],
    });
  });

  it('accepts choices within the bounds and finances the principal less the down payment', () => {
    const p = program({ down_payment: { min_percent: '10', max_percent: '50' } });
    const r = resolveLoanTerms(p, {
      ...request,
      annual_interest_rate: '9.4822',
      term_count: 36,
      down_payment: 100_000,
      first_payment_date: '2024-03-01',
    });
    expect(r.ok && r.value).toMatchObject({
      annualInterestRate: '9.4822',
      termCount: 36,
      downPayment: 100_000,
      amountFinanced: 900_000,
      firstPaymentDate: '2024-03-01',
    });
  });

  it('reports every out-of-bounds choice with its field', () => {
    const p = program({
      annual_interest_rate: { min: '5', max: '20', default: '10' },
      term_count: { min: 6, max: 60, default: 12 },
      principal: { min: 50_000, max: 5_000_000 },
      down_payment: { min_percent: '10' },
    });
    expect(
      fieldsOf(
        resolveLoanTerms(p, {
          principal: 10_000_000,
          annual_interest_rate: '20.01',
          term_count: 0,
          disbursement_date: '2024-01-15',
          first_payment_date: '2024-01-15',
        }),
      ),
    ).toEqual(['principal', 'annual_interest_rate', 'term_count', 'down_payment', 'first_payment_date']);
  });

  it('rejects a non-positive principal, a bad date and a first payment before disbursement', () => {
    expect(fieldsOf(resolveLoanTerms(program(), { principal: 0, disbursement_date: '2024-02-30' }))).toEqual([
      'principal',
      'disbursement_date',
    ]);
    expect(fieldsOf(resolveLoanTerms(program(), { ...request, first_payment_date: '2024-01-01' }))).toEqual([
      'first_payment_date',
    ]);
    // More than two periods away is rejected as a likely typo.
    expect(fieldsOf(resolveLoanTerms(program(), { ...request, first_payment_date: '2024-04-01' }))).toEqual([
      'first_payment_date',
    ]);
    expect(fieldsOf(resolveLoanTerms(program(), { ...request, down_payment: 1_000_000 }))).toEqual([
      'down_payment',
    ]);
  });
});

describe('malformed input', () => {
  it('returns failures, never throws', () => {
    const base = {
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '10', default: '5' },
      term_count: { min: 1, max: 10, default: 5 },
      principal: { min: 1, max: 10 },
    };
    const junk = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant('x'), fc.constant(-1));
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(base), 'grace', 'down_payment', 'late_fee', 'delinquency'),
        junk,
        (key, value) => {
          const r = parseProgramTerms({ ...base, [key]: value });
          expect(typeof r.ok).toBe('boolean');
          expect(() => resolveLoanTerms(program(), { ...request, [key]: value })).not.toThrow();
        },
      ),
    );
    expect(parseProgramTerms({}).ok).toBe(false);
    expect(parseProgramTerms(null).ok).toBe(false);
  });
});

describe('stored terms snapshots', () => {
  it('reads a loan stored before the schedule options with the defaults it was scheduled with', () => {
    const resolved = resolveLoanTerms(program({ day_count: 'actual/365' }), request);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const { options: _options, ...rest } = resolved.value;
    const old = { ...rest, grace: { principalPeriods: 0, interestPeriods: 0 } };
    const read = loanTermsOf(JSON.parse(JSON.stringify(old)));
    expect(read.options).toEqual(resolved.value.options);
    expect(read.grace.interestFreePeriods).toBe(0);
    expect(generateSchedule(read)).toEqual(generateSchedule(resolved.value));
  });
});
