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
import { checkDisclosedApr } from '../../../lending/domain/apr/index.js';
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

  describe("with lending's tolerance test (as wired), on lending's own disclosure", () => {
    const wired = { ...deps, aprAccuracy: checkDisclosedApr };
    const checkWired = (l: LoanFacts) =>
      tilaAprDisclosure.evaluate(at('approval', { borrower: borrower(), loan: l }), config, wired);
    const lenders = (apr: string, extra: Partial<LoanFacts> = {}) =>
      loan({ ...extra, disclosure: { apr, financeCharge: 20_552, source: 'lender' } });

    it('holds both sides of 1/8 point (regular) without solving, and solves to explain a block', () => {
      const exact = new Decimal('35.995826945170');
      const at = (points: string) => checkWired(lenders(exact.plus(points).toFixed(6)));
      expect(at('0.124999').outcome).toBe('pass');
      expect(at('-0.124999').outcome).toBe('pass');
      expect(at('0.125001').outcome).toBe('block');
      const under = at('-0.125001');
      expect(under.outcome).toBe('block');
      expect(under.facts).toMatchObject({ apr_within_tolerance: false, computed_apr: '35.995826945170' });
      expect(at('0').facts).toMatchObject({ apr_within_tolerance: true, computed_apr: null });
    });

    it('holds both sides of 1/4 point (irregular)', () => {
      const schedule = monthly(d('2024-01-15'), 12, 10_046);
      schedule[5] = { ...schedule[5]!, amount: 15_000 };
      const exact = lendingApr({
        advances: [{ amount: 100_000, date: d('2024-01-15') }],
        payments: schedule,
      });
      if (!exact.ok) throw new Error('apr');
      const fc = schedule.reduce((a, p) => a + p.amount, 0) - 100_000;
      const at = (points: string) =>
        checkWired(
          loan({
            schedule,
            disclosure: {
              apr: new Decimal(exact.value.aprExact).plus(points).toFixed(6),
              financeCharge: fc,
              source: 'lender',
            },
          }),
        );
      expect(at('0.249999').outcome).toBe('pass');
      expect(at('-0.249999').outcome).toBe('pass');
      expect(at('0.250001').outcome).toBe('block');
      expect(at('-0.250001').facts).toMatchObject({ tolerance: '0.25', transaction_kind: 'irregular' });
    });

    it("recomputes from the schedule and charges, never from the disclosure's own figures (regZ)", () => {
      // Lending passes its disclosure's figures as regZ too; a schedule that no longer matches them (the rate
      // raised after the disclosure: 12 × $102.00) is caught on the APR and the finance charge.
      const disclosed = loan();
      const regZ = {
        amountFinanced: 100_000,
        financeCharge: 20_552,
        totalOfPayments: 120_552,
        apr: {
          apr: '36.00',
          aprExact: '35.995826945170',
          tolerance: '0.125',
          transactionKind: 'regular' as const,
        },
      };
      const changed = lenders('36.00', { regZ, schedule: monthly(d('2024-01-15'), 12, 10_200) });
      const result = checkWired(changed);
      expect(result.outcome).toBe('block');
      expect(result.facts).toMatchObject({ computed_finance_charge: 22_400, apr_within_tolerance: false });
      expect(checkWired(lenders('36.00', { regZ, schedule: disclosed.schedule })).outcome).toBe('pass');
      // A prepaid finance charge the disclosure left out of its finance charge: caught though its APR is the note's.
      const withFee = lenders('36.00', {
        regZ,
        upfrontCharges: [{ kind: 'origination', amount: 2_000, financeCharge: true }],
      });
      expect(checkWired(withFee).reasons).toEqual([
        expect.stringMatching(/^the disclosed APR 36(\.00)?% is .* beyond the 0\.125 tolerance/),
        'the disclosed finance charge $205.52 differs from $225.52 beyond the 1026.18(d) tolerance',
      ]);
    });
  });

  it('skips open-end credit and warns without a disclosure', () => {
    expect(check(loan({ creditType: 'open_end' })).outcome).toBe('pass');
    expect(check(loan()).outcome).toBe('warn');
  });
});
