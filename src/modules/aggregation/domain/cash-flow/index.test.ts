import { describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { summarizeCashFlow } from './index.js';
import { every, monthly, tx } from './testing.js';

const d = (s: string) => s as CalendarDate;

describe('summarizeCashFlow', () => {
  const period = { start: d('2024-01-15'), end: d('2024-04-14') };
  const accounts = [
    { id: 'chk', accountType: 'checking' as const },
    { id: 'sav', accountType: 'savings' as const },
    { id: 'mm', accountType: 'money_market' as const },
  ];
  const pay = every('2024-01-19', 14, 7, (date) =>
    tx(date, 200_000, 'ACME PAYROLL', { subtype: 'direct_deposit' }),
  );
  const rent = monthly('2024-02', 1, 3, (date) => tx(date, -150_000, 'OAKWOOD RENT'));
  const transfer = [
    tx('2024-03-05', -50_000, 'TRANSFER TO SAVINGS'),
    tx('2024-03-05', 50_000, 'TRANSFER FROM CHECKING', { accountId: 'sav' }),
  ];
  const fee = tx('2024-04-02', -3400, 'OVERDRAFT FEE');
  const before = tx('2024-01-10', -99_999, 'BEFORE THE PERIOD');
  const summary = summarizeCashFlow({
    period,
    accounts,
    transactions: [...pay, ...rent, ...transfer, fee, before],
    anchors: [
      { accountId: 'chk', date: d('2024-04-14'), balance: 500_000 },
      { accountId: 'sav', date: d('2024-01-01'), balance: 100_000 },
    ],
  });

  it('reports every month of the period, partial ones marked, without internal transfers', () => {
    expect(summary.months.map((m) => [m.month, m.partial, m.inflow, m.outflow])).toEqual([
      ['2024-01', true, 200_000, 0],
      ['2024-02', false, 400_000, 150_000],
      // Biweekly pay: three paychecks in March.
      ['2024-03', false, 600_000, 150_000],
      ['2024-04', true, 200_000, 153_400],
    ]);
    expect(summary.totals).toEqual({ inflow: 1_400_000, outflow: 453_400, net: 946_600 });
    expect(summary.internalTransfersExcluded).toBe(2);
    expect(summary.period.days).toBe(91);
  });

  it('averages daily balances of the accounts with a known balance', () => {
    expect(summary.accounts).toEqual({ included: ['chk', 'sav', 'mm'], withoutBalance: ['mm'] });
    // Savings: 100,000 until the transfer in on 2024-03-05, 150,000 after; 50 + 41 days.
    const savings = (50 * 100_000 + 41 * 150_000) / 91;
    // Checking, day by day: the closing balance less whatever was booked after that day.
    const chk = [...pay, ...rent, transfer[0]!, fee];
    let total = 0;
    for (let day = 0; day < 91; day++) {
      const date = addDays(period.start, day);
      total += 500_000 - chk.filter((t) => t.date > date).reduce((a, t) => a + t.amount, 0);
    }
    expect(summary.averageDailyBalance).toBe(Math.round(total / 91) + Math.round(savings));
    expect(summary.nsfOverdraft.overdraftFees).toBe(1);
    expect(summary.income).toMatchObject({ regularity: 'regular', streams: [{ cadence: 'biweekly' }] });
    expect(summary.recurringDebits).toEqual([
      expect.objectContaining({ payee: 'OAKWOOD RENT', category: 'rent' }),
    ]);
  });

  it('finds negative balances from the walk', () => {
    const s = summarizeCashFlow({
      period: { start: d('2024-04-01'), end: d('2024-04-10') },
      accounts: [{ id: 'chk', accountType: 'checking' }],
      transactions: [tx('2024-04-05', -20_000, 'CARD'), tx('2024-04-08', 30_000, 'DEPOSIT')],
      anchors: [{ accountId: 'chk', date: d('2024-04-01'), balance: 10_000 }],
    });
    expect(s.nsfOverdraft).toMatchObject({ count: 1, negativeBalanceEpisodes: 1, negativeBalanceDays: 3 });
    expect(s.averageDailyBalance).toBe(Math.round((4 * 10_000 + 3 * -10_000 + 3 * 20_000) / 10));
  });

  it('with no accounts, says so', () => {
    const s = summarizeCashFlow({ period, accounts: [], transactions: [], anchors: [] });
    expect(s).toMatchObject({ averageDailyBalance: null, totals: { inflow: 0, outflow: 0, net: 0 } });
    expect(s.income.regularity).toBe('none');
  });
});
