import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan } from '../../../../../test/support/compliance/rules.js';
import { addDays } from '../../../../kernel/dates.js';
import type { CashFlowFacts, LoanFacts, UnderwritingFacts } from '../context.js';
import { abilityToRepay, abilityToRepayConfig, monthlyPaymentOf } from './ability-to-repay.js';

const config = abilityToRepayConfig.parse({ min_monthly_residual_income: 100_000 });
const judge = (u: UnderwritingFacts, l: LoanFacts = loan(), cfg = config) =>
  abilityToRepay.evaluate(at('approval', { borrower: borrower(), loan: l, underwriting: u }), cfg, deps);

function cashFlow(
  monthlyAverage: number,
  regularity: 'regular' | 'irregular',
  debts: [string, number][],
): CashFlowFacts {
  return {
    period: { start: d('2024-01-01'), end: d('2024-03-31'), days: 91 },
    income: { regularity, streams: [], monthlyAverage },
    recurringDebits: debts.map(([category, monthlyEquivalent]) => ({
      payee: category.toUpperCase(),
      category: category as 'debt_payment',
      cadence: 'monthly',
      occurrences: 3,
      typicalAmount: monthlyEquivalent,
      monthlyEquivalent,
      amountVariation: '0',
      lastDate: d('2024-03-15'),
      nextExpectedDate: d('2024-04-15'),
      active: true,
    })),
  };
}

describe('ability_to_repay', () => {
  // A $100.46 monthly payment on $5,000 of monthly income.
  it('passes a DTI of exactly 43% and blocks one just above', () => {
    const at43 = judge({ statedMonthlyIncome: 500_000, statedMonthlyDebtPayments: 204_954 });
    expect(at43.outcome).toBe('pass');
    expect(at43.facts?.dti_percent).toBe('43.0000');
    const over = judge({ statedMonthlyIncome: 500_000, statedMonthlyDebtPayments: 204_955 });
    expect(over.outcome).toBe('block');
    expect(over.reasons).toEqual(['debt-to-income 43.00% exceeds 43.00%']);
  });

  it('holds residual income to the configured minimum', () => {
    const base = { statedMonthlyIncome: 500_000, statedMonthlyDebtPayments: 100_000 };
    expect(judge({ ...base, statedMonthlyEssentialExpenses: 289_954 }).outcome).toBe('pass');
    const short = judge({ ...base, statedMonthlyEssentialExpenses: 289_955 });
    expect(short.outcome).toBe('block');
    expect(short.reasons).toEqual(['residual income $999.99 a month is below $1000.00']);
  });

  it('judges on the measured income when the summary found an income stream, else on the stated income', () => {
    const flow = cashFlow(400_000, 'regular', [
      ['debt_payment', 150_000],
      ['rent', 120_000],
      ['subscription', 5_000],
    ]);
    // Measured: $4,000 a month even though $6,000 was stated; the larger obligations (measured) count.
    const measured = judge({
      statedMonthlyIncome: 600_000,
      statedMonthlyDebtPayments: 50_000,
      cashFlow: flow,
    });
    expect(measured.facts).toMatchObject({
      income_source: 'cash_flow',
      debts_source: 'cash_flow',
      cash_flow_period: '2024-01-01..2024-03-31',
      monthly_income: 400_000,
      monthly_debts: 150_000,
      monthly_essentials: 120_000,
    });
    expect(measured.outcome).toBe('pass');
    // Measured income above the stated one is still what counts (the default is not "the lower of").
    expect(judge({ statedMonthlyIncome: 300_000, cashFlow: flow }).facts).toMatchObject({
      income_source: 'cash_flow',
      monthly_income: 400_000,
    });
    // No summary, or one without an income stream: the stated income, and the source says so.
    const stated = judge({ statedMonthlyIncome: 600_000, statedMonthlyDebtPayments: 200_000 });
    expect(stated.facts).toMatchObject({
      income_source: 'stated',
      debts_source: 'stated',
      cash_flow_period: null,
      monthly_income: 600_000,
    });
    const none = { ...flow, income: { regularity: 'none' as const, streams: [], monthlyAverage: 0 } };
    const fellBack = judge({ statedMonthlyIncome: 600_000, cashFlow: none });
    expect(fellBack.facts).toMatchObject({ income_source: 'stated', monthly_income: 600_000 });
    expect(fellBack.outcome).toBe('pass');
    // A measured income too low for the loan blocks even when the stated one would pass.
    const thin = cashFlow(250_000, 'regular', [['debt_payment', 100_000]]);
    const blocked = judge({ statedMonthlyIncome: 900_000, cashFlow: thin });
    expect(blocked.outcome).toBe('block');
    expect(blocked.facts).toMatchObject({ income_source: 'cash_flow', monthly_income: 250_000 });
  });

  it('takes the lower of stated and observed income, or one source only, when configured', () => {
    const flow = cashFlow(400_000, 'regular', []);
    const lowerOf = abilityToRepayConfig.parse({ income_source: 'lower_of' });
    expect(judge({ statedMonthlyIncome: 300_000, cashFlow: flow }, loan(), lowerOf).facts).toMatchObject({
      income_source: 'stated',
      monthly_income: 300_000,
    });
    expect(judge({ statedMonthlyIncome: 600_000, cashFlow: flow }, loan(), lowerOf).facts).toMatchObject({
      income_source: 'cash_flow',
      monthly_income: 400_000,
    });
    const statedOnly = abilityToRepayConfig.parse({ income_source: 'stated' });
    expect(
      judge({ statedMonthlyIncome: 600_000, cashFlow: flow }, loan(), statedOnly).facts?.monthly_income,
    ).toBe(600_000);
    const cashFlowOnly = abilityToRepayConfig.parse({ income_source: 'cash_flow' });
    expect(judge({ statedMonthlyIncome: 600_000 }, loan(), cashFlowOnly).reasons).toEqual([
      'no cash flow income to judge repayment',
    ]);
  });

  it('warns on irregular observed income and above the warning DTI', () => {
    const flow = cashFlow(400_000, 'irregular', []);
    expect(judge({ cashFlow: flow }).outcome).toBe('warn');
    const warnAt = abilityToRepayConfig.parse({ warn_dti_percent: '20' });
    const warned = judge(
      { statedMonthlyIncome: 500_000, statedMonthlyDebtPayments: 100_000 },
      loan(),
      warnAt,
    );
    expect(warned.outcome).toBe('warn');
  });

  it('blocks without income and rejects a warning level above the maximum', () => {
    expect(judge({}).outcome).toBe('block');
    expect(abilityToRepayConfig.safeParse({ warn_dti_percent: '50' }).success).toBe(false);
  });

  it('scales a biweekly payment to a month', () => {
    const start = d('2024-01-05');
    const biweekly = loan({
      consummationDate: start,
      schedule: Array.from({ length: 6 }, (_, k) => ({ amount: 10_000, date: addDays(start, 14 * (k + 1)) })),
    });
    expect(monthlyPaymentOf(biweekly)).toBe(21_742);
    expect(monthlyPaymentOf(loan())).toBe(10_046);
  });
});
