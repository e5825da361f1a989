import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan } from '../../../../../test/support/compliance/rules.js';
import type { LoanFacts } from '../context.js';
import { scra, scraConfig } from './scra.js';

const config = scraConfig.parse({});
const servicemember = borrower({ military: { mlaCovered: false, activeDuty: [{ start: d('2024-03-01') }] } });
const payment = (l: LoanFacts, b = servicemember) =>
  scra.evaluate(
    at('payment_collection', { borrower: b, loan: l, payment: { amount: 10_000, date: d('2024-06-01') } }),
    config,
    deps,
  );

describe('scra', () => {
  it('asks lending to re-compute from the start of service at the capped rate', () => {
    const result = payment(loan({ annualRatePercent: '9.99' }));
    expect(result.outcome).toBe('warn');
    expect(result.remedy).toEqual({
      kind: 'rate_reduction',
      effectiveDate: '2024-03-01',
      maxAnnualRatePercent: '6',
    });
  });

  it('passes 6% and flags 6.01%', () => {
    expect(payment(loan({ annualRatePercent: '6' })).outcome).toBe('pass');
    expect(payment(loan({ annualRatePercent: '6.01' })).outcome).toBe('warn');
  });

  it('is satisfied once lending applied the cap from the start of service', () => {
    expect(payment(loan({ annualRatePercent: '9.99', scraCapAppliedFrom: d('2024-03-01') })).outcome).toBe(
      'pass',
    );
  });

  it('does not cover obligations incurred during service', () => {
    const during = loan({ annualRatePercent: '9.99', consummationDate: d('2024-04-01') });
    expect(payment(during).outcome).toBe('pass');
  });

  it('counts a fee in service as interest over its billing period', () => {
    const at5 = loan({ annualRatePercent: '5', outstandingPrincipal: 100_000 });
    const fee = (amount: number) =>
      scra.evaluate(
        at('fee_assessment', {
          borrower: servicemember,
          loan: at5,
          fee: { kind: 'late', amount, date: d('2024-05-10'), paymentDue: 10_000, periodDays: 30 },
        }),
        config,
        deps,
      );
    expect(fee(80).outcome).toBe('pass'); // 5% + 0.97% = 5.97%
    const blocked = fee(90); // 5% + 1.095% = 6.10%
    expect(blocked.outcome).toBe('block');
    expect(blocked.facts?.effective_rate_percent).toBe('6.095000000000');
  });

  it('blocks a rate increase above the cap in service, not after a closed period', () => {
    const change = (effectiveDate: string) =>
      scra.evaluate(
        at('rate_change', {
          borrower: borrower({
            military: { mlaCovered: false, activeDuty: [{ start: d('2024-03-01'), end: d('2024-12-31') }] },
          }),
          loan: loan({ annualRatePercent: '5' }),
          rateChange: { newAnnualRatePercent: '6.5', effectiveDate: d(effectiveDate) },
        }),
        config,
        deps,
      ).outcome;
    expect(change('2024-06-01')).toBe('block');
    expect(change('2025-01-01')).toBe('pass');
  });

  it('extends the cap a year after service for mortgages, and waits for notice when configured', () => {
    const ended = borrower({
      military: { mlaCovered: false, activeDuty: [{ start: d('2023-01-01'), end: d('2023-12-31') }] },
    });
    const mortgage = loan({
      consummationDate: d('2022-05-01'),
      annualRatePercent: '7',
      securedByRealProperty: true,
    });
    const result = payment(mortgage, ended);
    expect(result.outcome).toBe('warn');
    expect(result.remedy?.throughDate).toBe('2024-12-30');
    expect(payment({ ...mortgage, securedByRealProperty: false }, ended).outcome).toBe('pass');
    const withNotice = scraConfig.parse({ require_notice: true });
    const ctx = at('payment_collection', {
      borrower: servicemember,
      loan: loan({ annualRatePercent: '9.99' }),
      payment: { amount: 1, date: d('2024-06-01') },
    });
    expect(scra.evaluate(ctx, withNotice, deps).outcome).toBe('pass');
  });
});
