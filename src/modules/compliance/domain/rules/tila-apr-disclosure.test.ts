import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  at,
  borrower,
  d,
  deps,
  lendingApr,
  loan,
  monthly,
} from '../../../../../test/support/compliance/rules.js';
import type { LoanFacts } from '../context.js';
import { tilaAprDisclosure, tilaAprDisclosureConfig } from './tila-apr-disclosure.js';

const config = tilaAprDisclosureConfig.parse({});
const check = (l: LoanFacts) =>
  tilaAprDisclosure.evaluate(at('quote', { borrower: borrower(), loan: l }), config, deps);
// 12 × $100.46 for $1,000: APR 35.995826945170%, finance charge $205.52.
const disclosed = (apr: string, financeCharge = 20_552) => loan({ disclosure: { apr, financeCharge } });

describe('tila_apr_disclosure', () => {
  it('accepts an APR within 1/8 point of Appendix J on either side, and no further', () => {
    expect(check(disclosed('36.00')).outcome).toBe('pass');
    expect(check(disclosed('36.12')).outcome).toBe('pass');
    expect(check(disclosed('35.88')).outcome).toBe('pass');
    const high = check(disclosed('36.13'));
    expect(high.outcome).toBe('block');
    expect(high.facts).toMatchObject({ tolerance: '0.125', transaction_kind: 'regular' });
    expect(check(disclosed('35.87')).outcome).toBe('block');
  });

  it('allows 1/4 point for an irregular transaction', () => {
    const schedule = monthly(d('2024-01-15'), 12, 10_046);
    schedule[5] = { ...schedule[5]!, amount: 15_000 };
    const irregular = loan({ schedule });
    const exact = lendingApr({ advances: [{ amount: 100_000, date: d('2024-01-15') }], payments: schedule });
    if (!exact.ok) throw new Error('apr');
    expect(exact.value.transactionKind).toBe('irregular');
    const fc = schedule.reduce((a, p) => a + p.amount, 0) - 100_000;
    const off = (points: string) =>
      check({
        ...irregular,
        disclosure: { apr: new Decimal(exact.value.aprExact).plus(points).toFixed(4), financeCharge: fc },
      });
    expect(off('0.24').outcome).toBe('pass');
    expect(off('-0.24').outcome).toBe('pass');
    expect(off('0.26').outcome).toBe('block');
  });

  it('holds the finance charge to $5 up to $1,000 financed and $10 above', () => {
    expect(check(disclosed('36.00', 20_552 + 500)).outcome).toBe('pass');
    expect(check(disclosed('36.00', 20_552 - 500)).outcome).toBe('pass');
    const off = check(disclosed('36.00', 20_552 + 501));
    expect(off.outcome).toBe('block');
    expect(off.reasons).toEqual([
      'the disclosed finance charge $210.53 differs from $205.52 beyond the 1026.18(d) tolerance',
    ]);
    const larger = loan({ principal: 200_000, schedule: monthly(d('2024-01-15'), 12, 20_092) });
    const fc = 12 * 20_092 - 200_000;
    const apr = (l: LoanFacts) =>
      lendingApr({ advances: [{ amount: l.principal, date: l.consummationDate }], payments: l.schedule });
    const a = apr(larger);
    if (!a.ok) throw new Error('apr');
    expect(check({ ...larger, disclosure: { apr: a.value.apr, financeCharge: fc + 1_000 } }).outcome).toBe(
      'pass',
    );
    expect(check({ ...larger, disclosure: { apr: a.value.apr, financeCharge: fc + 1_001 } }).outcome).toBe(
      'block',
    );
  });

  it('lets a mortgage overstate the finance charge and understate it by at most $100', () => {
    const mortgage = (apr: string, financeCharge: number) =>
      loan({ securedByRealProperty: true, disclosure: { apr, financeCharge } });
    expect(check(mortgage('36.00', 20_552 - 10_000)).outcome).toBe('pass');
    expect(check(mortgage('36.00', 20_552 - 10_001)).outcome).toBe('block');
    // Overstated by $50: an APR that results from that finance charge is accurate (1026.22(a)(5)).
    const from = lendingApr({
      advances: [{ amount: 120_552 - 25_552, date: d('2024-01-15') }],
      payments: loan().schedule,
    });
    if (!from.ok) throw new Error('apr');
    expect(check(mortgage(from.value.apr, 25_552)).outcome).toBe('pass');
    expect(check(loan({ disclosure: { apr: from.value.apr, financeCharge: 25_552 } })).outcome).toBe('block');
  });

  it('counts prepaid finance charges out of the amount financed and checks it', () => {
    const withFee = loan({
      upfrontCharges: [{ kind: 'origination', amount: 1_000, financeCharge: true }],
      disclosure: { apr: '38.02', financeCharge: 21_552, amountFinanced: 100_000 },
    });
    const result = check(withFee);
    expect(result.outcome).toBe('block');
    expect(result.reasons).toEqual(['the disclosed amount financed $1000.00 is not $990.00']);
  });

  it('skips open-end credit and warns without a disclosure', () => {
    expect(check(loan({ creditType: 'open_end' })).outcome).toBe('pass');
    expect(check(loan()).outcome).toBe('warn');
  });
});
