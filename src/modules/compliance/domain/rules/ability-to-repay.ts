import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { daysBetween } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { CashFlowFacts, LoanFacts, UnderwritingFacts } from '../context.js';
import { type RuleDefinition, type RuleFacts, type RuleOutcome, resultsFor, worstOutcome } from '../rule.js';
import { dollars, nonNegativeMinorConfig, outcomeConfig, pct, percentConfig } from './common.js';

const CITATION =
  'Ability to repay: debt-to-income and residual income (cf. 12 CFR 1026.43(c)(2)(vi)-(vii), 1026.51)';

const DEBIT_CATEGORIES = ['debt_payment', 'rent', 'insurance', 'utility', 'subscription', 'other'] as const;

export const abilityToRepayConfig = z
  .strictObject({
    max_dti_percent: percentConfig.default('43'),
    /** Above this (and within the maximum) the loan proceeds with a warning. */
    warn_dti_percent: percentConfig.optional(),
    /** Income left each month after all debts, the new payment and essential expenses. 0: not checked. */
    min_monthly_residual_income: nonNegativeMinorConfig.default(0),
    /**
     * Which income counts. `cash_flow_else_stated` (default): the income measured on the borrower's linked deposit
     * accounts when their summary found an income stream (regular or irregular), else the stated income;
     * `lower_of`: the lower of the two; `stated` or `cash_flow`: that one only.
     */
    income_source: z
      .enum(['cash_flow_else_stated', 'lower_of', 'stated', 'cash_flow'])
      .default('cash_flow_else_stated'),
    /** Recurring debits of the cash-flow summary that are debt payments, and those that are essential expenses. */
    debt_categories: z.array(z.enum(DEBIT_CATEGORIES)).default(['debt_payment']),
    essential_categories: z.array(z.enum(DEBIT_CATEGORIES)).default(['rent', 'insurance', 'utility']),
    /** Outcome when observed income is irregular or too short to judge (and the loan otherwise passes). */
    irregular_income: outcomeConfig.default('warn'),
  })
  .refine((c) => c.warn_dti_percent === undefined || new Decimal(c.warn_dti_percent).lte(c.max_dti_percent), {
    message: 'warn_dti_percent must not exceed max_dti_percent',
    path: ['warn_dti_percent'],
  });
export type AbilityToRepayConfig = z.output<typeof abilityToRepayConfig>;

const DAYS_PER_MONTH = new Decimal('30.4375');

/** The largest scheduled payment scaled to a month by the median interval between due dates. */
export function monthlyPaymentOf(loan: LoanFacts): Minor {
  if (loan.schedule.length === 0) return 0;
  const dates = [loan.consummationDate, ...loan.schedule.map((p) => p.date)];
  const intervals = dates
    .slice(1)
    .map((date, k) => Math.max(1, daysBetween(dates[k]!, date)))
    .sort((a, b) => a - b);
  const median = intervals[Math.floor(intervals.length / 2)]!;
  const largest = Math.max(...loan.schedule.map((p) => p.amount));
  // Calendar months (28 to 31 days) are one month; weekly, biweekly or a single short term scale up.
  const factor = median >= 28 && median <= 31 ? new Decimal(1) : DAYS_PER_MONTH.div(median);
  return factor.times(largest).toDecimalPlaces(0, Decimal.ROUND_UP).toNumber();
}

const monthlyOf = (cashFlow: CashFlowFacts, categories: readonly string[]): Minor =>
  cashFlow.recurringDebits
    .filter((d) => d.active && categories.includes(d.category))
    .reduce((a, d) => a + d.monthlyEquivalent, 0);

type Source = 'stated' | 'cash_flow';

/** Whether measured income is worth judging on: an income stream of three or more deposits (regular or not). */
const measuredStream = (cashFlow: CashFlowFacts): boolean =>
  (cashFlow.income.regularity === 'regular' || cashFlow.income.regularity === 'irregular') &&
  cashFlow.income.monthlyAverage > 0;

function incomeOf(
  u: UnderwritingFacts,
  source: AbilityToRepayConfig['income_source'],
): { amount: Minor; source: Source } | undefined {
  const stated =
    u.statedMonthlyIncome === undefined
      ? undefined
      : { amount: u.statedMonthlyIncome, source: 'stated' as const };
  const observed = u.cashFlow && { amount: u.cashFlow.income.monthlyAverage, source: 'cash_flow' as const };
  switch (source) {
    case 'stated':
      return stated;
    case 'cash_flow':
      return observed;
    case 'cash_flow_else_stated':
      // Fewer than three deposits still measure something: used only when nothing was stated.
      return (u.cashFlow && measuredStream(u.cashFlow) ? observed : undefined) ?? stated ?? observed;
    case 'lower_of':
      if (!stated || !observed) return stated ?? observed;
      return observed.amount <= stated.amount ? observed : stated;
  }
}

export const abilityToRepay: RuleDefinition<AbilityToRepayConfig> = {
  key: 'ability_to_repay',
  displayName: 'Ability to repay',
  citation: CITATION,
  description:
    "Debt-to-income and residual income from stated income or the aggregation module's cash-flow summary.",
  hooks: ['approval'],
  configSchema: abilityToRepayConfig,
  evaluate(ctx, config) {
    const r = resultsFor(CITATION);
    if (ctx.hook !== 'approval') return r.pass(['not applicable: ability to repay is judged at approval']);
    const u = ctx.underwriting ?? {};
    const chosen = incomeOf(u, config.income_source);
    if (chosen === undefined || chosen.amount <= 0)
      return r.block([`no ${config.income_source.replaceAll('_', ' ')} income to judge repayment`]);
    const income = chosen.amount;

    const cashFlow = u.cashFlow;
    // Where both are known, the larger of stated and observed obligations counts: a debt paid from an account
    // that is not linked is missing from the measured ones, and a stated figure may leave one out.
    const statedDebts = u.statedMonthlyDebtPayments ?? 0;
    const measuredDebts = cashFlow ? monthlyOf(cashFlow, config.debt_categories) : 0;
    const debts = Math.max(statedDebts, measuredDebts);
    const essentials = Math.max(
      u.statedMonthlyEssentialExpenses ?? 0,
      cashFlow ? monthlyOf(cashFlow, config.essential_categories) : 0,
    );
    const payment = monthlyPaymentOf(ctx.loan);
    const dti = new Decimal(debts + payment).div(income).times(100);
    const residual = income - debts - payment - essentials;
    const facts: RuleFacts = {
      income_source: chosen.source,
      debts_source: cashFlow && measuredDebts > statedDebts ? 'cash_flow' : 'stated',
      cash_flow_period: cashFlow ? `${cashFlow.period.start}..${cashFlow.period.end}` : null,
      monthly_income: income,
      monthly_debts: debts,
      monthly_payment: payment,
      monthly_essentials: essentials,
      dti_percent: dti.toFixed(4),
      residual_income: residual,
    };

    const blocks: string[] = [];
    if (dti.gt(config.max_dti_percent))
      blocks.push(`debt-to-income ${pct(dti)} exceeds ${pct(config.max_dti_percent)}`);
    if (residual < config.min_monthly_residual_income) {
      blocks.push(
        `residual income ${dollars(residual)} a month is below ${dollars(config.min_monthly_residual_income)}`,
      );
    }
    if (blocks.length > 0) return r.block(blocks, facts);

    const notes: string[] = [];
    const outcomes: RuleOutcome[] = [];
    if (config.warn_dti_percent !== undefined && dti.gt(config.warn_dti_percent)) {
      notes.push(`debt-to-income ${pct(dti)} is above ${pct(config.warn_dti_percent)}`);
      outcomes.push('warn');
    }
    const regularity = cashFlow?.income.regularity;
    if (regularity !== undefined && regularity !== 'regular' && chosen.source === 'cash_flow') {
      notes.push(`observed income is ${regularity.replace('_', ' ')}`);
      outcomes.push(config.irregular_income);
    }
    const outcome = worstOutcome(outcomes);
    if (outcome !== 'pass') return r.of(outcome, notes, facts);
    return r.pass([`debt-to-income ${pct(dti)}, residual income ${dollars(residual)} a month`], facts);
  },
};
