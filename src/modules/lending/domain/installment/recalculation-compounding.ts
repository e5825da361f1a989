import { z } from 'zod';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { DayCount } from '../day-count.js';
import { yearFractionUnits } from '../exact.js';
// Types only: the program schema (recalculation-terms.ts) reads this module's values while installments.ts loads.
import type { Installment } from './installments.js';
import { checkRestRule, type RestRule, restOnOrAfter, WEEKDAYS } from './recalculation-rest.js';
import type { Component } from './terms.js';

/**
 * Compounding in interest recalculation (Fineract `InterestRecalculationCompoundingMethod`): what is overdue besides
 * principal joins the balance that earns interest until it is paid: the interest (INTEREST), the fees and penalties
 * (FEE), or both (INTEREST_AND_FEE). Fineract adds an installment's interest (or charges) to its balance at the
 * compounding date (AbstractCumulativeLoanScheduleGenerator `updateCompoundingMap`, `getIncomeForCompounding`): the
 * first date of the compounding calendar on or after its due date (`getNextCompoundScheduleDate`), the due date
 * itself with the frequency SAME_AS_REPAYMENT_PERIOD (Plinth's default) or DAILY; and takes back what is paid
 * (`adjustCompoundedAmountWithPaidDetail`, at the payment's rest date: recalculation-rest.ts), so what earns is what
 * stays overdue.
 *
 * The compounding calendar (`compounding_frequency` with its interval and day, Fineract
 * `interestRecalculationCompoundingFrequencyType` and `recalculationCompoundingFrequency…`) has the rest calendar's
 * shapes (recalculation-rest.ts `restOnOrAfter`), run from the first period's start (the disbursement).
 *
 * C(at), the compounded amount, is what is outstanding of those components on the rows whose compounding date is on
 * or before `at`. The rows due on or before `at` whose compounding date is later all join on the same date (no
 * compounding date lies between their due dates and it): the `joining` (X, from), counted from its date like the
 * rest's pending principal is counted to its date. So the balance that earns changes at a due date, at events (a
 * payment, a waiver, a fee: the replay recalculates) and at `from`, which the units of a span split at: the accrual
 * counted back from the due date stays exact. Close of business reads the same (`compoundedSql`, `joiningSql`).
 *
 * Fineract also compounds, at a compounding date inside a period, the interest that period has earned so far and
 * not yet due (CumulativeDecliningBalanceInterestLoanScheduleGenerator: `interestToBeCompounded`): Plinth does not
 * (interest earns interest once it is due and unpaid), so a calendar with dates inside the periods gives less
 * interest than Fineract's; see docs/fineract-mapping.md.
 */

export const RECALCULATION_COMPOUNDING = ['none', 'interest', 'fee', 'interest_and_fee'] as const;
export type Compounding = (typeof RECALCULATION_COMPOUNDING)[number];
export const COMPOUNDING_FREQUENCIES = ['same_as_repayment', 'daily', 'weekly', 'monthly'] as const;

/** The compounding fields (wire names, as the loan's terms keep them); absent: same as repayment. */
export interface CompoundingRule {
  compounding: string;
  compounding_frequency?: (typeof COMPOUNDING_FREQUENCIES)[number];
  compounding_interval?: number;
  compounding_weekday?: (typeof WEEKDAYS)[number];
  compounding_on_day?: number;
  compounding_nth_day?: number | 'last';
}

/** The program-term fields, beside `compounding` in `interest_recalculation` (recalculation-terms.ts). */
export const compoundingShape = {
  compounding_frequency: z
    .enum(COMPOUNDING_FREQUENCIES)
    .optional()
    .describe(
      'when an overdue amount joins the balance (Fineract interestRecalculationCompoundingFrequencyType): ' +
        'same_as_repayment (default: its due date), daily (its due date; every compounding_interval days from the ' +
        'disbursement), weekly or monthly (the first date of that calendar from the disbursement on or after its ' +
        'due date); needs compounding other than none',
    ),
  compounding_interval: z
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe(
      'daily, weekly, monthly: every N days, weeks or months (Fineract recalculationCompoundingFrequencyInterval); ' +
        'default 1',
    ),
  compounding_weekday: z
    .enum(WEEKDAYS)
    .optional()
    .describe(
      "weekly: the compounding day (default the disbursement's weekday); monthly with compounding_nth_day: the " +
        'weekday (Fineract recalculationCompoundingFrequencyDayOfWeekType)',
    ),
  compounding_on_day: z
    .int()
    .min(1)
    .max(28)
    .optional()
    .describe(
      "monthly: the day of the month (Fineract recalculationCompoundingFrequencyOnDayType); default the disbursement's",
    ),
  compounding_nth_day: z
    .union([z.int().min(1).max(5), z.literal('last')])
    .optional()
    .describe(
      'monthly with compounding_weekday: the nth (or last) such weekday (Fineract ' +
        'recalculationCompoundingFrequencyNthDayType)',
    ),
};

/** The calendar's combinations refused as the rest's are (LoanProductDataValidator), each naming its field. */
export function checkCompoundingRule(r: CompoundingRule, ctx: z.RefinementCtx): void {
  const fields = ['frequency', 'interval', 'weekday', 'on_day', 'nth_day'] as const;
  const given = fields.filter((f) => r[`compounding_${f}`] !== undefined);
  if (given.length === 0) return;
  if (r.compounding === 'none') {
    for (const f of given)
      ctx.addIssue({
        code: 'custom',
        path: [`compounding_${f}`],
        message: 'applies to compounding other than none',
      });
    return;
  }
  // The same checks as the rest calendar's, their paths renamed to the compounding fields.
  checkRestRule(asRestRule(r), {
    addIssue: (issue: z.core.$ZodRawIssue | string) => {
      if (typeof issue === 'string') return ctx.addIssue(issue);
      const field = String(issue.path?.[0] ?? 'rest').replace(/^rest_?/, '');
      ctx.addIssue({
        ...issue,
        path: [field === '' ? 'compounding_frequency' : `compounding_${field}`],
        message: String(issue.message)
          .replaceAll('rest_', 'compounding_')
          .replaceAll('rest ', 'compounding_frequency '),
      } as z.core.$ZodRawIssue);
    },
  } as z.RefinementCtx);
}

const withInterest = (c: string) => c === 'interest' || c === 'interest_and_fee';
const withFees = (c: string) => c === 'fee' || c === 'interest_and_fee';
const owed = (r: Installment, c: Component): Minor => r.due[c] - r.paid[c] - r.waived[c];

/** The compounding fields in the rest calendar's shape (the same calendars). */
const asRestRule = (rule: CompoundingRule): RestRule => ({
  rest: rule.compounding_frequency ?? 'same_as_repayment',
  rest_interval: rule.compounding_interval,
  rest_weekday: rule.compounding_weekday,
  rest_on_day: rule.compounding_on_day,
  rest_nth_day: rule.compounding_nth_day,
});

/** The compounding calendar as a rest calendar; null when a row compounds on its due date. */
export function compoundingCalendar(rule: CompoundingRule): RestRule | null {
  const r = asRestRule(rule);
  return r.rest === 'same_as_repayment' || (r.rest === 'daily' && (r.rest_interval ?? 1) === 1) ? null : r;
}

/** The date a row due on `due` joins the balance (Fineract getNextCompoundScheduleDate from the due date). */
export function compoundsOn(rule: CompoundingRule, start: CalendarDate, due: CalendarDate): CalendarDate {
  return joinsOn(compoundingCalendar(rule), start, due);
}

const joinsOn = (calendar: RestRule | null, start: CalendarDate, due: CalendarDate): CalendarDate =>
  calendar ? restOnOrAfter(calendar, start, [], due) : due;

/** The compoundable amount a row still owes under the rule. */
export function compoundable(rule: CompoundingRule, r: Installment): Minor {
  let total = 0;
  if (withInterest(rule.compounding)) total += owed(r, 'interest');
  if (withFees(rule.compounding)) total += owed(r, 'fees') + owed(r, 'penalties');
  return total;
}

/** C(at): the overdue interest and/or fees and penalties compounded by `at`; 0 without compounding. */
export function compounded(
  rule: CompoundingRule | null | undefined,
  rows: readonly Installment[],
  at: CalendarDate,
): Minor {
  if (!rule || rule.compounding === 'none') return 0;
  const start = rows[0]?.periodStart ?? at;
  const calendar = compoundingCalendar(rule);
  let total = 0;
  for (const r of rows) {
    if (r.dueDate > at) break;
    if (joinsOn(calendar, start, r.dueDate) <= at) total += compoundable(rule, r);
  }
  return total;
}

/** What is due by `at` but compounds after it: X joining the balance from `from`. */
export interface Joining {
  readonly amount: Minor;
  readonly from: CalendarDate;
}

export function joining(
  rule: CompoundingRule | null | undefined,
  rows: readonly Installment[],
  at: CalendarDate,
): Joining | null {
  const calendar = rule && rule.compounding !== 'none' ? compoundingCalendar(rule) : null;
  if (!rule || !calendar) return null;
  const start = rows[0]?.periodStart ?? at;
  let amount = 0;
  let from: CalendarDate | null = null;
  for (const r of rows) {
    if (r.dueDate > at) break;
    const on = joinsOn(calendar, start, r.dueDate);
    if (on > at) {
      amount += compoundable(rule, r);
      from = on;
    }
  }
  return from !== null && amount > 0 ? { amount, from } : null;
}

/** X × yf(max(from, start), end) in year-fraction units; 0 when nothing joins before `end`. */
export function joiningUnits(
  dayCount: DayCount,
  j: Joining | null | undefined,
  start: CalendarDate,
  end: CalendarDate,
): bigint {
  if (!j || j.from >= end) return 0n;
  return BigInt(j.amount) * yearFractionUnits(dayCount, j.from > start ? j.from : start, end);
}

/**
 * Whether a payment line paid what earned interest on its date, so that it leaves the balance at the payment's rest
 * date (recalculation-rest.ts): principal paid early or late, or a compounded amount (its row compounded by then:
 * Fineract `adjustCompoundedAmountWithPaidDetail`). A row's principal paid on its due date is neither early nor late:
 * the schedule's balance falls by it there whatever the rest (Fineract maps only early payments,
 * `updatePrincipalPaidPortionToMap`, and late ones, `updateLatePaidAmountsToPrincipalMap`, to rest dates).
 */
export function paidEarning(
  rule: CompoundingRule,
  rows: readonly Installment[],
  line: { installment?: number; component: string },
  paidOn: CalendarDate,
): boolean {
  const row = rows.find((r) => r.number === line.installment);
  const c = line.component;
  if (row?.dueDate === paidOn) return false;
  if (c === 'principal') return true;
  const compounds =
    (c === 'interest' && withInterest(rule.compounding)) ||
    ((c === 'fees' || c === 'penalties') && withFees(rule.compounding));
  return compounds && row !== undefined && compoundsOn(rule, rows[0]!.periodStart, row.dueDate) <= paidOn;
}
