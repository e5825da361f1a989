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
    /** Which income counts: the lower of stated and observed when both are present, by default. */
    income_source: z.enum(['stated', 'cash_flow', 'lower_of']).default('lower_of'),
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

function incomeOf(u: UnderwritingFacts, source: AbilityToRepayConfig['income_source']): Minor | undefined {
  const stated = u.statedMonthlyIncome;
  const observed = u.cashFlow?.income.monthlyAverage;
  if (source === 'stated') return stated;
  if (source === 'cash_flow') return observed;
  if (stated === undefined) return observed;
  return observed === undefined ? stated : Math.min(stated, observed);
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
    const income = incomeOf(u, config.income_source);
    if (income === undefined || income <= 0)
      return r.block([`no ${config.income_source} income to judge repayment`]);

    const cashFlow = u.cashFlow;
    // Where both are known, the larger of stated and observed obligations counts.
    const debts = Math.max(
      u.statedMonthlyDebtPayments ?? 0,
      cashFlow ? monthlyOf(cashFlow, config.debt_categories) : 0,
    );
    const essentials = Math.max(
      u.statedMonthlyEssentialExpenses ?? 0,
      cashFlow ? monthlyOf(cashFlow, config.essential_categories) : 0,
    );
    const payment = monthlyPaymentOf(ctx.loan);
    const dti = new Decimal(debts + payment).div(income).times(100);
    const residual = income - debts - payment - essentials;
    const facts: RuleFacts = {
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
    if (regularity !== undefined && regularity !== 'regular' && income === cashFlow?.income.monthlyAverage) {
      notes.push(`observed income is ${regularity.replace('_', ' ')}`);
      outcomes.push(config.irregular_income);
    }
    const outcome = worstOutcome(outcomes);
    if (outcome !== 'pass') return r.of(outcome, notes, facts);
    return r.pass([`debt-to-income ${pct(dti)}, residual income ${dollars(residual)} a month`], facts);
  },
};
