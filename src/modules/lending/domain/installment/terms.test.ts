import { describe, expect, it } from 'vitest';
import { installmentProgramTermsSchema } from './terms.js';

const base = {
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '12' },
  term_count: { min: 1, max: 360, default: 12 },
  principal: { min: 100, max: 100_000_000 },
};

describe('installment program terms', () => {
  // zod runs the object's cross-field checks even after a member failed its own: they must not throw on it.
  it('refuses percents that are not percents at their fields instead of throwing', () => {
    const r = installmentProgramTermsSchema.safeParse({
      ...base,
      amortization: 'equal_principal',
      principal_percent_per_installment: 'x',
      down_payment: { min_percent: 'x', max_percent: 'y' },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'principal_percent_per_installment',
        'down_payment.min_percent',
        'down_payment.max_percent',
      ]),
    );
  });

  it('refuses a maximum rate that is not a percent at its field when a fixed length asks about it', () => {
    const r = installmentProgramTermsSchema.safeParse({
      ...base,
      annual_interest_rate: { min: '0', max: 'x', default: '0' },
      fixed_length: 300,
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('annual_interest_rate.max');
  });

  it('still compares valid down payment percents', () => {
    const r = installmentProgramTermsSchema.safeParse({
      ...base,
      down_payment: { min_percent: '20', max_percent: '10' },
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('down_payment.max_percent');
  });
});
