import { describe, expect, it } from 'vitest';
import { program } from '../../../../../test/support/lending/lease.js';
import { leaseProgramTermsSchema, resolveLeaseTerms } from './terms.js';

const parsedProgram = leaseProgramTermsSchema.parse({
  ...program,
  residual_percent: { min: '20', max: '80' },
});
const request = { capitalized_cost: 1880000, residual_value: 1235000, disbursement_date: '2024-01-15' };

function failedPaths(body: unknown): string[] {
  const result = resolveLeaseTerms(parsedProgram, body);
  if (result.ok) return [];
  return result.error.fields?.map((f) => f.path) ?? [];
}

describe('lease program terms schema', () => {
  it('fills defaults and keeps wire names', () => {
    const p = leaseProgramTermsSchema.parse(program);
    expect(p.repayment_frequency).toBe('monthly');
    expect(p.rounding).toEqual({ mode: 'half_even', installment_multiple: 1 });
    expect(p.acquisition_fee).toEqual({ amount: 0, capitalized: true });
    expect(p.early_termination).toEqual({ fee: 20000, credit_surplus: false });
  });

  it('rejects inconsistent bounds with their paths', () => {
    const bad = leaseProgramTermsSchema.safeParse({
      ...program,
      annual_interest_rate: { min: '5', max: '4', default: '4.5' },
      term_count: { min: 24, max: 60, default: 12 },
      repayment_frequency: 'weekly',
      surprise: true,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['annual_interest_rate.max', 'term_count.default', 'repayment_frequency']),
    );
  });
});

describe('resolveLeaseTerms', () => {
  it('resolves a request with program defaults in camelCase', () => {
    const result = resolveLeaseTerms(parsedProgram, request);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      currency: 'USD',
      grossCapitalizedCost: 1880000,
      capCostReduction: 0,
      adjustedCapitalizedCost: 1880000,
      residualValue: 1235000,
      annualRate: '8.497',
      termCount: 48,
      startDate: '2024-01-15',
      firstPaymentDate: '2024-01-15',
      rounding: { mode: 'half_even', installmentMultiple: 1 },
    });
    expect(result.value.moneyFactor).toBe('0.00354041666667');
  });

  it('converts a money factor to a rate (mf × 2400)', () => {
    const result = resolveLeaseTerms(parsedProgram, { ...request, money_factor: '0.00125' });
    expect(result.ok && result.value.annualRate).toBe('3');
    expect(result.ok && result.value.moneyFactor).toBe('0.00125');
  });

  it('reports every problem at the request field at fault', () => {
    expect(failedPaths({ ...request, annual_interest_rate: '8', money_factor: '0.003' })).toEqual([
      'annual_interest_rate',
      'money_factor',
    ]);
    expect(failedPaths({ ...request, annual_interest_rate: '20.5' })).toEqual(['annual_interest_rate']);
    expect(failedPaths({ ...request, money_factor: '0.01' })).toEqual(['money_factor']); // 24%
    expect(failedPaths({ ...request, term_count: 72 })).toEqual(['term_count']);
    expect(failedPaths({ ...request, cap_cost_reduction: 700000 })).toEqual(['residual_value']); // above adjusted cost
    expect(failedPaths({ ...request, residual_value: 100000 })).toEqual(['residual_value']); // under 20%
    expect(failedPaths({ ...request, cap_cost_reduction: 1880000 })).toEqual([
      'cap_cost_reduction',
      'residual_value',
    ]);
    expect(failedPaths({ ...request, first_payment_date: '2024-01-14' })).toEqual(['first_payment_date']);
    expect(failedPaths({ ...request, first_payment_date: '2024-02-15' })).toEqual(['first_payment_date']);
  });

  it('reports malformed fields and unknown fields from the schema', () => {
    expect(
      failedPaths({ ...request, capitalized_cost: -5, disbursement_date: '2024-02-30', colour: 'red' }),
    ).toEqual(expect.arrayContaining(['capitalized_cost', 'disbursement_date', 'colour']));
    expect(failedPaths({ residual_value: 1 })).toEqual(
      expect.arrayContaining(['capitalized_cost', 'disbursement_date']),
    );
  });

  it('adds a capitalized acquisition fee to the gross capitalized cost', () => {
    const withFee = leaseProgramTermsSchema.parse({ ...program, acquisition_fee: { amount: 59500 } });
    const result = resolveLeaseTerms(withFee, request);
    expect(result.ok && result.value.grossCapitalizedCost).toBe(1880000 + 59500);
  });
});
