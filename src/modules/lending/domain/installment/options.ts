import { z } from 'zod';
import { arePercents, percentSchema } from '../common-terms.js';
import type { DayCount } from '../day-count.js';
import { comparePercent } from '../exact.js';
import {
  type InterestRecalculation,
  interestRecalculationShape,
  toInterestRecalculation,
} from './recalculation-terms.js';

/**
 * Schedule methods and settings a lender moving from Apache Fineract relies on, each a program-terms option whose
 * default is Plinth's own behaviour. docs/fineract-mapping.md maps Fineract's product settings onto them; each
 * option names the Fineract setting and behaviour it reproduces:
 *
 * - `repayment_every` {count, unit}: repayment every N days, weeks or months (Fineract `repaymentEvery` +
 *   `repaymentFrequencyType`; due dates as its DefaultScheduledDateGenerator: + N days, + N weeks, + N months on
 *   the first repayment's day of month).
 * - `interest_calculation: period_days` with `days_in_month` ('30' | 'actual') and `days_in_year` ('360' | '364' |
 *   '365' | 'actual'): each period's interest at R × (days in month × N / days in year) for months, R × 7N / days
 *   in year for weeks, R × N / days in year for days, the days of each year apart for a period across a new year
 *   with an actual year (Fineract's progressive schedule, ProgressiveEMICalculator rate factors).
 * - `level_payment: period_rates`: the equal installment from each period's own rate (Π(1 + rₖ) and Fineract's fn
 *   sum) instead of the nominal periodic rate (ProgressiveEMICalculator.calculateEMIOnPeriods).
 * - `level_payment_adjustment`: after the payment, when the last installment lands further from it than the
 *   threshold (|gap| × 100 in major units > ⌊n / 2⌋), try the payment corrected by gap / n and keep it when the last
 *   installment comes closer (ProgressiveEMICalculator.checkAndAdjustEmiIfNeededOnRelatedRepaymentPeriods).
 * - `first_period_interest: prorated`: a first period shorter (or longer) than a regular one is charged the regular
 *   period's rate × actual days / the regular period's days, and a level payment from period rates uses that
 *   reduced rate (Fineract's repayment start date before disbursement: interest period over repayment period).
 * - `installment_multiple_rounding: components`: flat interest rows round principal and interest each to the
 *   installment multiple and set principal so the installment is a multiple (Fineract
 *   LoanApplicationTerms.calculateTotalPrincipalPerPeriodWithoutGrace).
 * - `flat_interest: whole_term`: flat interest computed once for the whole term, R × the term's year fraction,
 *   spread evenly with the rounding remainder in the last installment (Fineract FLAT interest:
 *   calculateTotalFlatInterestDueWithoutGrace, flatInterestPerInstallment, adjustInterestIfLastRepaymentPeriod).
 * - `principal_percent_per_installment`: each installment repays this percent of the amount financed, the last
 *   one the rest (Fineract `fixedPrincipalPercentagePerInstallment` with equal principal).
 * - `grace.interest_free_periods`: interest of the first periods waived, not deferred (Fineract
 *   `graceOnInterestCharged`).
 * - `fixed_length`: the loan ends this many days, weeks or months (the repayment interval's unit) after
 *   disbursement: the last due date is moved there, the other due dates stay (Fineract `fixedLength`,
 *   AdvancedPaymentAllocationLoanRepaymentScheduleTest uc126-uc128). Fineract allows it on interest-free loans
 *   only; Plinth also on daily interest, which counts the shorter (or longer) last period by its days.
 * - `interest_recalculation` {rest, compounding, reschedule}: interest on the daily principal balance, recalculated
 *   at early and late payments (Fineract `isInterestRecalculationEnabled`; recalculation-terms.ts,
 *   recalculation.ts), and what a prepayment does to the later installments (`rescheduleStrategyMethod`,
 *   reschedule.ts).
 */

export const REPAYMENT_UNITS = ['days', 'weeks', 'months'] as const;
export const DAYS_IN_MONTH = ['30', 'actual'] as const;
export const DAYS_IN_YEAR = ['360', '364', '365', 'actual'] as const;
export const LEVEL_PAYMENTS = ['nominal_rate', 'period_rates'] as const;
export const FIRST_PERIOD_INTEREST = ['day_count', 'prorated'] as const;
export const MULTIPLE_ROUNDINGS = ['installment', 'components'] as const;
export const FLAT_INTEREST = ['per_period', 'whole_term'] as const;

export type DaysInMonth = (typeof DAYS_IN_MONTH)[number];
export type DaysInYear = (typeof DAYS_IN_YEAR)[number];

/** Repayment every `count` days, weeks or months. */
export interface RepaymentInterval {
  unit: 'day' | 'week' | 'month';
  count: number;
}

/** The options as the engine reads them (camelCase, every default resolved). */
export interface ScheduleOptions {
  repaymentEvery: RepaymentInterval | null;
  daysInMonth: DaysInMonth;
  daysInYear: DaysInYear;
  levelPayment: (typeof LEVEL_PAYMENTS)[number];
  levelPaymentAdjustment: boolean;
  firstPeriodInterest: (typeof FIRST_PERIOD_INTEREST)[number];
  multipleRounding: (typeof MULTIPLE_ROUNDINGS)[number];
  flatInterest: (typeof FLAT_INTEREST)[number];
  /** Percent of the amount financed each installment repays; null: equal shares. */
  principalPercent: string | null;
  /** The loan's length in the repayment interval's unit: the last due date; null: the schedule's own. */
  fixedLength: number | null;
  /** Interest on the daily principal balance (recalculation.ts); null (or absent in older terms): off. */
  interestRecalculation?: InterestRecalculation | null;
}

/** The program-terms fields (wire names), spread into the installment program's schema. */
export const scheduleOptionsShape = {
  repayment_every: z
    .strictObject({ count: z.number().int().min(1).max(366), unit: z.enum(REPAYMENT_UNITS) })
    .nullable()
    .default(null),
  days_in_month: z.enum(DAYS_IN_MONTH).nullable().default(null),
  days_in_year: z.enum(DAYS_IN_YEAR).nullable().default(null),
  level_payment: z.enum(LEVEL_PAYMENTS).default('nominal_rate'),
  level_payment_adjustment: z.boolean().default(false),
  first_period_interest: z.enum(FIRST_PERIOD_INTEREST).default('day_count'),
  installment_multiple_rounding: z.enum(MULTIPLE_ROUNDINGS).default('installment'),
  flat_interest: z.enum(FLAT_INTEREST).default('per_period'),
  principal_percent_per_installment: percentSchema.nullable().default(null),
  fixed_length: z.number().int().min(1).max(36_600).nullable().default(null),
  ...interestRecalculationShape,
};

/** What the checks read of a parsed program. */
interface Program {
  interest_method: string;
  amortization: string;
  interest_calculation: string;
  repayment_frequency: string;
  future_installments: string;
  repayment_every: { count: number; unit: (typeof REPAYMENT_UNITS)[number] } | null;
  days_in_month: DaysInMonth | null;
  days_in_year: DaysInYear | null;
  level_payment: string;
  level_payment_adjustment: boolean;
  first_period_interest: string;
  installment_multiple_rounding: string;
  flat_interest: string;
  principal_percent_per_installment: string | null;
  fixed_length: number | null;
  interest_recalculation: { rest: string; compounding: string } | null;
  annual_interest_rate: { max: string };
}

/** The combinations an option does not apply to, each refused naming the option. */
export function checkScheduleOptions(t: Program, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const declining = t.interest_method === 'declining_balance';
  if (t.interest_calculation !== 'period_days') {
    if (t.days_in_month !== null) issue('days_in_month', 'applies to interest_calculation period_days only');
    if (t.days_in_year !== null) issue('days_in_year', 'applies to interest_calculation period_days only');
  } else if (t.repayment_every === null && t.repayment_frequency === 'semimonthly')
    issue(
      'interest_calculation',
      'period_days needs repayments every N days, weeks or months (not semimonthly)',
    );
  if (t.level_payment === 'period_rates' && (!declining || t.amortization !== 'equal_installments'))
    issue('level_payment', 'period_rates applies to declining balance with equal installments');
  if (t.level_payment_adjustment && t.level_payment !== 'period_rates')
    issue('level_payment_adjustment', 'applies to level_payment period_rates');
  if (t.first_period_interest === 'prorated' && t.interest_calculation === 'daily')
    issue('first_period_interest', 'daily interest already counts the first period by days');
  if (t.installment_multiple_rounding === 'components' && declining)
    issue('installment_multiple_rounding', 'components applies to flat interest');
  if (t.flat_interest === 'whole_term' && declining) issue('flat_interest', 'applies to flat interest');
  if (t.fixed_length !== null) {
    if (t.repayment_every === null && t.repayment_frequency === 'semimonthly')
      issue('fixed_length', 'needs repayments every N days, weeks or months (not semimonthly)');
    if (
      t.interest_calculation !== 'daily' &&
      // A rate the schema refused at its own field is not compared here.
      arePercents(t.annual_interest_rate.max) &&
      comparePercent(t.annual_interest_rate.max, '0') > 0
    )
      issue(
        'fixed_length',
        'applies to interest-free programs (annual_interest_rate.max 0) or daily interest, which counts the last period by its days',
      );
  }
  const percent = t.principal_percent_per_installment;
  if (percent !== null) {
    if (t.amortization !== 'equal_principal')
      issue('principal_percent_per_installment', 'applies to equal principal amortization');
    if (arePercents(percent) && (comparePercent(percent, '0') <= 0 || comparePercent(percent, '100') > 0))
      issue('principal_percent_per_installment', 'must be more than 0 and at most 100');
    if (t.future_installments === 'reamortize')
      issue('principal_percent_per_installment', 'a fixed principal share cannot be re-amortized');
  }
}

const UNIT: Record<(typeof REPAYMENT_UNITS)[number], RepaymentInterval['unit']> = {
  days: 'day',
  weeks: 'week',
  months: 'month',
};

/** Days in month and days in year that a day count implies, when the program does not set them. */
const FROM_DAY_COUNT: Record<DayCount, [DaysInMonth, DaysInYear]> = {
  '30/360': ['30', '360'],
  'actual/360': ['actual', '360'],
  'actual/365': ['actual', '365'],
  'actual/364': ['actual', '364'],
  'actual/actual': ['actual', 'actual'],
};

export function toScheduleOptions(p: Program & { day_count: DayCount }): ScheduleOptions {
  const [month, year] = FROM_DAY_COUNT[p.day_count];
  return {
    repaymentEvery: p.repayment_every && {
      unit: UNIT[p.repayment_every.unit],
      count: p.repayment_every.count,
    },
    daysInMonth: p.days_in_month ?? month,
    daysInYear: p.days_in_year ?? year,
    levelPayment: p.level_payment as ScheduleOptions['levelPayment'],
    levelPaymentAdjustment: p.level_payment_adjustment,
    firstPeriodInterest: p.first_period_interest as ScheduleOptions['firstPeriodInterest'],
    multipleRounding: p.installment_multiple_rounding as ScheduleOptions['multipleRounding'],
    flatInterest: p.flat_interest as ScheduleOptions['flatInterest'],
    principalPercent: p.principal_percent_per_installment,
    fixedLength: p.fixed_length,
    interestRecalculation: toInterestRecalculation(p.interest_recalculation, p.amortization),
  };
}

/** The options of a loan whose terms were stored before options existed: Plinth's defaults for its day count. */
export const defaultScheduleOptions = (dayCount: DayCount): ScheduleOptions => {
  const [daysInMonth, daysInYear] = FROM_DAY_COUNT[dayCount];
  return {
    repaymentEvery: null,
    daysInMonth,
    daysInYear,
    levelPayment: 'nominal_rate',
    levelPaymentAdjustment: false,
    firstPeriodInterest: 'day_count',
    multipleRounding: 'installment',
    flatInterest: 'per_period',
    principalPercent: null,
    fixedLength: null,
    interestRecalculation: null,
  };
};

const WIRE_UNIT = { day: 'days', week: 'weeks', month: 'months' } as const;

/** The options as wire JSON (the program's names). */
export const scheduleOptionsJson = (o: ScheduleOptions) => ({
  repayment_every: o.repaymentEvery && {
    count: o.repaymentEvery.count,
    unit: WIRE_UNIT[o.repaymentEvery.unit],
  },
  days_in_month: o.daysInMonth,
  days_in_year: o.daysInYear,
  level_payment: o.levelPayment,
  level_payment_adjustment: o.levelPaymentAdjustment,
  first_period_interest: o.firstPeriodInterest,
  installment_multiple_rounding: o.multipleRounding,
  flat_interest: o.flatInterest,
  principal_percent_per_installment: o.principalPercent,
  fixed_length: o.fixedLength ?? null,
  interest_recalculation: o.interestRecalculation ?? null,
});
