import { z } from 'zod';
import {
  addDays,
  type CalendarDate,
  dateParts,
  daysBetween,
  daysInMonth,
  fromParts,
  toEpochDay,
} from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { DayCount } from '../day-count.js';
import { yearFractionUnits } from '../exact.js';

/**
 * The rest frequency of interest recalculation (Fineract `recalculationRestFrequencyType` with its interval and day):
 * a change of the principal, a payment early or late, lowers the balance that earns interest only from the first
 * rest date on or after its date. Fineract applies every principal change at `getNextRestScheduleDate(date − 1)`
 * (AbstractCumulativeLoanScheduleGenerator: early payments in `updatePrincipalPaidPortionToMap`, late ones in
 * `updateLatePaidAmountsToPrincipalMap`, overdue principal in `updateLatePaymentsToMap`), the rest dates being the
 * repayment dates (SAME_AS_REPAYMENT_PERIOD) or a calendar from the disbursement date (DAILY, WEEKLY, MONTHLY:
 * LoanScheduleAssembler `createInterestRecalculationCalendarInstance`, an iCal rule FREQ;INTERVAL;BYDAY|BYMONTHDAY|
 * BYSETPOS). Overdue principal is simply never paid, so it keeps earning until a payment's rest date.
 *
 * Between a payment on D and its rest date r the balance that earns interest is P (the principal outstanding) plus
 * Q, the principal paid since the last rest date: the `RestPending` (Q, r). All such payments share r (no rest date
 * lies between them), so one (Q, r) describes the loan; it is kept with the interest basis, stored on the loan
 * (`rest_pending`, `rest_until`) for close of business, and counts for the days before r only, so it needs no
 * clearing when r passes.
 */

export const RECALCULATION_RESTS = ['daily', 'same_as_repayment', 'weekly', 'monthly'] as const;
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** The rest calendar's fields (wire names, as the loan's terms keep them); absent: the defaults below. */
export interface RestRule {
  rest: (typeof RECALCULATION_RESTS)[number];
  rest_interval?: number;
  rest_weekday?: Weekday;
  rest_on_day?: number;
  rest_nth_day?: number | 'last';
}

export const restShape = {
  rest: z
    .enum(RECALCULATION_RESTS)
    .default('daily')
    .describe(
      'from when a payment lowers the balance interest is earned on (Fineract recalculationRestFrequencyType): ' +
        'daily (its date; every rest_interval days from the disbursement), same_as_repayment (the next due date ' +
        'on or after it), weekly or monthly (the next date of that calendar from the disbursement)',
    ),
  rest_interval: z
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('daily, weekly, monthly: every N days, weeks or months (Fineract restInterval); default 1'),
  rest_weekday: z
    .enum(WEEKDAYS)
    .optional()
    .describe(
      "weekly: the rest day (default the disbursement's weekday); monthly with rest_nth_day: the weekday " +
        '(Fineract restFrequencyWeekday)',
    ),
  rest_on_day: z
    .int()
    .min(1)
    .max(28)
    .optional()
    .describe(
      "monthly: the day of the month (Fineract restFrequencyOnDay); default the disbursement's day, months " +
        'without it skipped',
    ),
  rest_nth_day: z
    .union([z.int().min(1).max(5), z.literal('last')])
    .optional()
    .describe(
      'monthly with rest_weekday: the nth (or last) such weekday of the month (Fineract restFrequencyNthDay)',
    ),
};

/** Combinations Fineract's calendar cannot mean, each refused naming its field. */
export function checkRestRule(r: RestRule, ctx: z.RefinementCtx): void {
  const issue = (field: keyof RestRule, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  const calendar = r.rest === 'daily' || r.rest === 'weekly' || r.rest === 'monthly';
  if (r.rest_interval !== undefined && !calendar)
    issue(
      'rest_interval',
      'applies to rest daily, weekly or monthly (same_as_repayment follows the schedule)',
    );
  if (r.rest_weekday !== undefined && r.rest !== 'weekly' && !(r.rest === 'monthly' && r.rest_nth_day))
    issue('rest_weekday', 'applies to rest weekly, or monthly with rest_nth_day');
  if (r.rest_on_day !== undefined && r.rest !== 'monthly') issue('rest_on_day', 'applies to rest monthly');
  if (r.rest_nth_day !== undefined) {
    if (r.rest !== 'monthly') issue('rest_nth_day', 'applies to rest monthly');
    else if (r.rest_weekday === undefined) issue('rest_nth_day', 'needs rest_weekday: the weekday to count');
    if (r.rest_on_day !== undefined)
      issue('rest_on_day', 'either a day of the month or rest_nth_day with rest_weekday, not both');
    // Every 24 months from a February, say, a fifth weekday never comes: the calendar would have no date.
    if (r.rest_nth_day === 5 && (r.rest_interval ?? 1) > 12)
      issue(
        'rest_nth_day',
        'a fifth weekday needs rest_interval of at most 12 months (some months have none)',
      );
  }
}

/** Monday 0 … Sunday 6 (1970-01-01, epoch day 0, was a Thursday). */
const weekdayOf = (d: CalendarDate): number => (((toEpochDay(d) + 3) % 7) + 7) % 7;

/** The rule's day in the month `index` months after year 0 (month 1 = index 0), null when the month has none. */
function monthlyDay(r: RestRule, start: CalendarDate, index: number): CalendarDate | null {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const days = daysInMonth(year, month);
  if (r.rest_nth_day !== undefined && r.rest_weekday !== undefined) {
    const w = WEEKDAYS.indexOf(r.rest_weekday);
    const first = fromParts(year, month, 1);
    const firstDay = 1 + ((w - weekdayOf(first) + 7) % 7);
    const count = Math.floor((days - firstDay) / 7) + 1;
    const nth = r.rest_nth_day === 'last' ? count : r.rest_nth_day;
    return nth <= count ? fromParts(year, month, firstDay + (nth - 1) * 7) : null;
  }
  const day = r.rest_on_day ?? dateParts(start).day;
  return day <= days ? fromParts(year, month, day) : null;
}

/**
 * The first rest date on or after `date` (Fineract getNextRestScheduleDate(date − 1)). `start`: the disbursement
 * date the calendar runs from; `dueDates`: the schedule's, for same_as_repayment (after the last one, the date
 * itself: no period is left to earn).
 */
export function restOnOrAfter(
  r: RestRule,
  start: CalendarDate,
  dueDates: readonly CalendarDate[],
  date: CalendarDate,
): CalendarDate {
  const n = r.rest_interval ?? 1;
  const from = date > start ? date : start;
  switch (r.rest) {
    case 'daily': {
      const off = daysBetween(start, from) % n;
      return off === 0 ? from : addDays(from, n - off);
    }
    case 'same_as_repayment':
      return dueDates.find((d) => d >= date) ?? date;
    case 'weekly': {
      const w = r.rest_weekday ? WEEKDAYS.indexOf(r.rest_weekday) : weekdayOf(start);
      const day = addDays(from, (w - weekdayOf(from) + 7) % 7);
      // Weeks counted from the disbursement's week (iCal weeks start on Monday).
      const weeks = Math.floor(daysBetween(addDays(start, -weekdayOf(start)), day) / 7);
      return weeks % n === 0 ? day : addDays(day, 7 * (n - (weeks % n)));
    }
    case 'monthly': {
      const s = dateParts(start);
      const f = dateParts(from);
      const first = s.year * 12 + s.month - 1;
      let index = f.year * 12 + f.month - 1;
      index += (n - ((index - first) % n)) % n;
      for (; ; index += n) {
        const d = monthlyDay(r, start, index);
        if (d !== null && d >= from) return d;
      }
    }
  }
}

/** Principal paid since the last rest date, earning until `until` (the next one). */
export interface RestPending {
  readonly amount: Minor;
  readonly until: CalendarDate;
}

/** A payment line, with the row it paid. */
type PaidLine = { installment?: number; component: string; amount: Minor };

/**
 * The pending principal at `at`, after its events: the principal the payments dated on or before `at` paid whose
 * rest date lies after `at` (and what else `earns` says earned: a compounded amount, recalculation-compounding.ts).
 * Null for rest daily every day, or when nothing is pending.
 */
export function restPending(
  r: RestRule,
  start: CalendarDate,
  dueDates: readonly CalendarDate[],
  payments: readonly {
    date: CalendarDate;
    reversedOn: CalendarDate | null;
    lines: readonly PaidLine[];
  }[],
  at: CalendarDate,
  earns: (line: PaidLine, paidOn: CalendarDate) => boolean = (l) => l.component === 'principal',
): RestPending | null {
  if (r.rest === 'daily' && (r.rest_interval ?? 1) === 1) return null;
  const until = restOnOrAfter(r, start, dueDates, at);
  if (until <= at) return null;
  let amount = 0;
  for (const p of payments) {
    if (p.reversedOn !== null || p.date > at || restOnOrAfter(r, start, dueDates, p.date) <= at) continue;
    for (const l of p.lines) if (earns(l, p.date)) amount += l.amount;
  }
  return amount > 0 ? { amount, until } : null;
}

/**
 * Q × yf(from, min(until, to)) in year-fraction units, 0 when nothing is pending or `until` is not after `from`: the
 * pending principal's share of the balance-days over [from, to), added to P × yf(from, to) before rounding.
 */
export function pendingUnits(
  dayCount: DayCount,
  pending: RestPending | null | undefined,
  from: CalendarDate,
  to: CalendarDate,
): bigint {
  if (!pending || pending.until <= from) return 0n;
  const end = pending.until < to ? pending.until : to;
  return BigInt(pending.amount) * yearFractionUnits(dayCount, from, end);
}
