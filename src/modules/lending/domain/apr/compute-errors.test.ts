import { describe, expect, it } from 'vitest';
import { d, everyMonths, series, single } from '../../../../../test/support/lending/apr.js';
import { computeApr, financeChargeDisclosure } from './compute.js';

describe('computeApr: invalid schedules', () => {
  it('finds no rate when no time passes and more is repaid than advanced', () => {
    const result = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(100100, '2023-01-01'),
    });
    expect(!result.ok && result.error.code).toBe('apr_not_computable');
  });

  it('names the offending fields', () => {
    const result = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: [...single(-1, '2023-02-01'), ...single(50000, '2022-12-01')],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.fields?.map((f) => f.path)).toEqual(['payments.0.amount']);
    const nothingPaid = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(0, '2023-02-01'),
    });
    expect(!nothingPaid.ok && nothingPaid.error.fields?.map((f) => f.path)).toEqual(['payments']);
    const early = computeApr({
      advances: single(100000, '2023-01-01'),
      payments: single(50000, '2022-12-01'),
    });
    expect(!early.ok && early.error.fields?.map((f) => f.path)).toEqual(['payments.0.date']);
    const empty = computeApr({ advances: [], payments: [] });
    expect(!empty.ok && empty.error.fields?.map((f) => f.path)).toEqual(['advances', 'payments']);
  });
});

describe('financeChargeDisclosure', () => {
  it('fills the Truth in Lending box from the schedule', () => {
    // (c)(1)(i) again, with a $50 prepaid finance charge on a $5,050 note.
    const result = financeChargeDisclosure({
      consummationDate: d('1978-01-10'),
      principal: 505000,
      prepaidFinanceCharge: 5000,
      payments: series(23000, '1978-02-10', 24, everyMonths(1)),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.amountFinanced).toBe(500000);
    expect(result.value.totalOfPayments).toBe(552000);
    expect(result.value.financeCharge).toBe(52000);
    expect(result.value.apr.apr).toBe('9.69');
  });

  it('rejects a prepaid finance charge as large as the principal', () => {
    const result = financeChargeDisclosure({
      consummationDate: d('2023-01-01'),
      principal: 100000,
      prepaidFinanceCharge: 100000,
      payments: single(110000, '2023-07-01'),
    });
    expect(!result.ok && result.error.fields?.[0]?.path).toBe('prepaid_finance_charge');
  });
});
