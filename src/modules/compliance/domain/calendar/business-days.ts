import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { federalHolidayOn, weekday } from './federal-holidays.js';

/**
 * Business days "for rescission" (12 CFR 1026.2(a)(6), the more precise rule): every calendar day except Sundays
 * and the federal legal public holidays of 5 U.S.C. 6103(a). Saturdays count.
 *
 * When a holiday falls on a weekend the government observes it on a Friday or Monday. The regulation names the
 * holidays, not their observance, so `actual` treats the observed Friday or Monday as a business day;
 * `actual_and_observed` (the default of the rule) does not, which can only make the waiting period longer.
 */
export type HolidayObservance = 'actual' | 'actual_and_observed';

export function isRescissionBusinessDay(d: CalendarDate, observance: HolidayObservance): boolean {
  if (weekday(d) === 0) return false;
  const holiday = federalHolidayOn(d);
  if (!holiday) return true;
  return holiday.observed && observance === 'actual';
}

/** The n-th business day after `from` (from itself is day 0). */
export function addRescissionBusinessDays(
  from: CalendarDate,
  n: number,
  observance: HolidayObservance,
): CalendarDate {
  let d = from;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, 1);
    if (isRescissionBusinessDay(d, observance)) counted++;
  }
  return d;
}
