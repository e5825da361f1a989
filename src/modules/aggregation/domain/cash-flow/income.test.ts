import { describe, expect, it } from 'vitest';
import { incomeSummary, payerOf } from './income.js';
import { every, monthly, tx } from './testing.js';

describe('income', () => {
  it('a biweekly payroll is a regular stream', () => {
    const pay = every('2024-01-05', 14, 13, (date, i) =>
      tx(date, 210_000 + (i % 2) * 1500, `ACME CORP PAYROLL PPD ID: 99${i}`),
    );
    const s = incomeSummary(pay, 182);
    expect(s.regularity).toBe('regular');
    expect(s.streams).toHaveLength(1);
    expect(s.streams[0]).toMatchObject({
      payer: 'ACME CORP',
      kind: 'payroll',
      cadence: 'biweekly',
      deposits: 13,
      intervalVariation: '0.0000',
      typicalAmount: 210_000,
      // 26 paychecks a year / 12
      monthlyEquivalent: 455_000,
    });
    expect(Number(s.streams[0]!.amountVariation)).toBeLessThan(0.01);
    expect(s.monthlyAverage).toBe(Math.round((s.streams[0]!.total * 30.4375) / 182));
  });

  it('pay on the 1st and the 15th is semimonthly, not biweekly', () => {
    const pay = [
      ...monthly('2024-01', 1, 6, (date) => tx(date, 200_000, 'GLOBEX DIR DEP')),
      ...monthly('2024-01', 15, 6, (date) => tx(date, 200_000, 'GLOBEX DIR DEP')),
    ];
    expect(incomeSummary(pay, 182).streams[0]).toMatchObject({
      cadence: 'semimonthly',
      monthlyEquivalent: 400_000,
    });
  });

  it('benefits count as payroll; the bank’s direct-deposit subtype too', () => {
    const ssa = monthly('2024-01', 3, 6, (date) => tx(date, 150_000, 'SSA TREAS 310 XXSOC SEC'));
    expect(incomeSummary(ssa, 182).streams[0]).toMatchObject({ kind: 'payroll', cadence: 'monthly' });
    const marked = monthly('2024-01', 3, 3, (date) =>
      tx(date, 90_000, 'INITECH', { subtype: 'direct_deposit' }),
    );
    expect(incomeSummary(marked, 91).streams[0]!.kind).toBe('payroll');
  });

  it('steady deposits from one payer are income even without a payroll marker; scattered ones are not', () => {
    const gig = every('2024-01-02', 7, 10, (date) => tx(date, 40_000, 'DOORDASH PAYOUT'));
    const odd = [
      tx('2024-01-09', 12_000, 'VENMO'),
      tx('2024-02-20', 800, 'VENMO'),
      tx('2024-02-21', 55_000, 'VENMO'),
    ];
    const s = incomeSummary([...gig, ...odd], 90);
    expect(s.streams.map((x) => [x.payer, x.kind, x.cadence])).toEqual([
      ['DOORDASH PAYOUT', 'recurring_deposit', 'weekly'],
    ]);
  });

  it('payroll on no steady rhythm or amount is irregular', () => {
    const pay = [
      tx('2024-01-03', 90_000, 'ACME PAYROLL'),
      tx('2024-01-29', 210_000, 'ACME PAYROLL'),
      tx('2024-02-05', 40_000, 'ACME PAYROLL'),
      tx('2024-03-30', 160_000, 'ACME PAYROLL'),
    ];
    expect(incomeSummary(pay, 90).regularity).toBe('irregular');
  });

  it('too few deposits to judge, or no income at all', () => {
    expect(
      incomeSummary(
        [tx('2024-01-05', 100_000, 'ACME PAYROLL'), tx('2024-01-19', 100_000, 'ACME PAYROLL')],
        30,
      ).regularity,
    ).toBe('insufficient_data');
    expect(incomeSummary([tx('2024-01-05', -100, 'CAFE')], 30)).toEqual({
      regularity: 'none',
      streams: [],
      monthlyAverage: 0,
    });
  });

  it('names the payer without the channel words', () => {
    expect(payerOf('ACME CORP PAYROLL PPD ID: 1234')).toBe('ACME CORP');
    expect(payerOf('DIRECT DEP GLOBEX')).toBe('GLOBEX');
  });
});
