import { Decimal } from 'decimal.js';
import { dateParts, daysInYear } from '../../../../kernel/dates.js';
import { percentRatio } from '../../domain/exact.js';
import type { LineTerms } from '../../domain/revolving/index.js';
import { lateFeeJson } from '../support.js';
import type { StatementRecord } from './state.js';
import type { CreditLineRow } from './store.js';

/** Wire JSON (snake_case) of lines of credit: terms, statements, the open cycle. */

const Exact = Decimal.clone({ precision: 60 });

export function termsJson(t: LineTerms): Record<string, unknown> {
  return {
    currency: t.currency,
    credit_limit: t.creditLimit,
    annual_interest_rate: t.annualRate,
    day_count: t.dayCount,
    cycle_day: t.cycleDay,
    minimum_payment: { floor: t.minimumPayment.floor, percent: t.minimumPayment.percent },
    payment_due_days: t.paymentDueDays,
    late_fee: lateFeeJson(t.lateFee),
    allocation_order: t.allocationOrder,
    rounding: { mode: t.rounding.mode, installment_multiple: t.rounding.installmentMultiple },
    open_date: t.openDate,
  };
}

/** The open-end credit disclosure (1026.6(b)): the APR is the daily periodic rate times the days of a year. */
export const disclosureJson = (t: LineTerms) => ({
  apr: t.annualRate,
  daily_periodic_rate: dailyRate(t, t.openDate).toSignificantDigits(12).toString(),
  balance_computation_method: 'average_daily_balance_including_new_transactions',
  day_count: t.dayCount,
  minimum_payment: { floor: t.minimumPayment.floor, percent: t.minimumPayment.percent },
  payment_due_days: t.paymentDueDays,
});

const dailyRate = (t: LineTerms, on: StatementRecord['periodStart']) =>
  new Decimal(t.annualRate)
    .div(100)
    .div(
      t.dayCount === 'actual/365'
        ? 365
        : t.dayCount === 'actual/actual'
          ? daysInYear(dateParts(on).year)
          : 360,
    );

/**
 * The statement's daily periodic rate and average daily balance as the revolving engine reports them
 * (statement.ts): for actual/actual the rate applied on average over the cycle's days, each year's days at
 * 1/days-in-that-year.
 */
function rates(t: LineTerms, s: StatementRecord) {
  let daily = dailyRate(t, s.periodStart);
  const sum = s.sumOfDailyBalances;
  if (t.dayCount === 'actual/actual' && sum !== 0) {
    // The same fraction as cycleInterest's, each year's part of the balance-days weighted by 133,590 / its days.
    const weight = (on: StatementRecord['periodStart']) => BigInt(133590 / daysInYear(dateParts(on).year));
    const weighted =
      BigInt(s.priorYearSum) * weight(s.periodStart) + BigInt(sum - s.priorYearSum) * weight(s.periodEnd);
    const r = percentRatio(new Decimal(t.annualRate).toFixed());
    const exact = new Exact((weighted * r.num).toString()).div((r.den * 133590n).toString());
    daily = new Decimal(exact.div(sum).toString());
  }
  return {
    daily_periodic_rate: daily.toSignificantDigits(12).toString(),
    average_daily_balance: new Decimal(sum).div(s.daysInCycle).toFixed(4),
  };
}

export const statementJson = (t: LineTerms, s: StatementRecord) => ({
  number: s.number,
  period_start: s.periodStart,
  period_end: s.periodEnd,
  statement_date: s.periodEnd,
  due_date: s.dueDate,
  days_in_cycle: s.daysInCycle,
  opening_balance: s.openingBalance,
  draws: s.draws,
  payments: s.payments,
  interest: s.interest,
  fees: s.fees,
  closing_balance: s.closingBalance,
  past_due: s.pastDue,
  minimum_payment: s.minimumPayment,
  credit_limit: s.creditLimit,
  available_credit: s.availableCredit,
  annual_rate: t.annualRate,
  ...rates(t, s),
  sum_of_daily_balances: s.sumOfDailyBalances,
});

/** The line now: what it owes, its open cycle and what is due on the last statement. */
export function lineJson(c: CreditLineRow) {
  const balance = c.principal + c.interest + c.fees;
  return {
    credit_limit: c.creditLimit,
    balance,
    principal: c.principal,
    interest_billed: c.interest,
    fees: c.fees,
    interest_accrued: c.accrued,
    available_credit: Math.max(0, c.creditLimit - balance),
    over_limit: balance > c.creditLimit,
    cycle: { start: c.cycleStart, end: c.cycleEnd, draws: c.cycleDraws, payments: c.cyclePayments },
    last_statement:
      c.lastStatementDate === null
        ? null
        : {
            statement_date: c.lastStatementDate,
            due_date: c.lastDueDate,
            minimum_payment: c.lastMinimum,
            paid_since_statement: c.paidSinceStatement,
            minimum_remaining: Math.max(0, c.lastMinimum - c.paidSinceStatement),
            late_fee_assessed: c.lateFeeAssessed,
          },
  };
}
