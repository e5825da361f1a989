import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { program as leaseProgram } from '../../../../test/support/lending/lease.js';
import { lineProgram } from '../../../../test/support/lending/revolving.js';
import { installmentProgramTermsSchema } from './installment/terms.js';
import { leaseProgramTermsSchema } from './lease/terms.js';
import { lineProgramTermsSchema } from './revolving/terms.js';

// One wire shape for late_fee, rounding, annual_interest_rate and term_count in every program type.

const installmentProgram = {
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '12' },
  term_count: { min: 1, max: 60, default: 12 },
  principal: { min: 100, max: 1_000_000 },
};
const products: [string, z.ZodType, Record<string, unknown>][] = [
  ['installment_loan', installmentProgramTermsSchema, installmentProgram],
  ['lease', leaseProgramTermsSchema, leaseProgram],
  ['line_of_credit', lineProgramTermsSchema, lineProgram],
];

const errorsOf = (schema: z.ZodType, terms: unknown) => {
  const r = schema.safeParse(terms);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe.each(products)('%s terms share the common shapes', (_name, schema, base) => {
  it.each([
    { late_fee: { type: 'flat', amount: 2500, grace_days: 2 } },
    { late_fee: { type: 'percent', percent: '5', grace_days: 2, min: 500, max: 5000 } },
    { late_fee: null },
    { rounding: { mode: 'half_up', installment_multiple: 100 } },
    { annual_interest_rate: { min: '0.5', max: '24.9999', default: '9.4822' } },
  ])('accepts %j', (part) => {
    expect(errorsOf(schema, { ...base, ...part })).toEqual([]);
  });

  it.each([
    [{ late_fee: { amount: 2500 } }, 'late_fee.type'],
    [{ late_fee: { type: 'flat', amount: 0 } }, 'late_fee.amount'],
    [{ late_fee: { type: 'percent', percent: 'five' } }, 'late_fee.percent'],
    [{ rounding: { mode: 'bankers' } }, 'rounding.mode'],
    [{ annual_interest_rate: { min: '10', max: '5', default: '7' } }, 'annual_interest_rate.max'],
    [{ annual_interest_rate: { min: '1', max: '5', default: '7' } }, 'annual_interest_rate.default'],
    [{ annual_interest_rate: { min: '1', max: '5', default: '7%' } }, 'annual_interest_rate.default'],
  ])('rejects %j at %s', (part, path) => {
    expect(errorsOf(schema, { ...base, ...part })).toContain(path);
  });
});

describe.each(products.slice(0, 2))('%s term_count bounds', (_name, schema, base) => {
  it('share the shape and the limits', () => {
    expect(errorsOf(schema, { ...base, term_count: { min: 1, max: 1200, default: 12 } })).toEqual([]);
    expect(errorsOf(schema, { ...base, term_count: { min: 0, max: 12, default: 6 } })).toContain(
      'term_count.min',
    );
    expect(errorsOf(schema, { ...base, term_count: { min: 12, max: 24, default: 6 } })).toContain(
      'term_count.default',
    );
  });
});
