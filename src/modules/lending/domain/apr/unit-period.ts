import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { approximateDays, type MonthCalendar, type UnitPeriod } from './periods.js';

/**
 * Chooses the unit-period of a transaction per Appendix J (b)(3) and (b)(4).
 *
 * Periods ((b)(3)(i)) are the intervals between consecutive payments, between consecutive advances, and from the
 * beginning of the term to the first payment (and to the first advance when that is later). Each is classified
 * as whole months, a semimonth, whole weeks or days. The unit-period is the common period (occurring more than
 * once, not over a year) that occurs most often, the smaller on a tie; with no common period, the average period
 * rounded to the nearest standard interval, the lower on a tie. A single advance repaid by a single payment uses
 * the term itself, capped at a year ((b)(4)(ii)).
 */
export function chooseUnitPeriod(
  calendar: MonthCalendar,
  start: CalendarDate,
  advanceDates: readonly CalendarDate[],
  paymentDates: readonly CalendarDate[],
): UnitPeriod {
  // A single payment on the day of the single advance has no term to speak of: the general rule handles it.
  if (advanceDates.length === 1 && paymentDates.length === 1 && paymentDates[0]! > start) {
    const payment = paymentDates[0]!;
    const { months, days } = calendar.split(start, payment);
    if (months >= 12) return { unit: 'year', count: 1 };
    return { unit: 'term', count: 1, days: daysBetween(start, payment), months: days === 0 ? months : null };
  }

  const periods = [
    ...streamPeriods(calendar, start, paymentDates),
    ...streamPeriods(calendar, start, advanceDates),
  ];
  const counts = new Map<string, { period: ClassifiedPeriod; n: number }>();
  for (const p of periods) {
    const key = `${p.unit}:${p.count}`;
    const entry = counts.get(key);
    if (entry) entry.n++;
    else counts.set(key, { period: p, n: 1 });
  }
  const common = [...counts.values()]
    .filter((e) => e.n > 1 && withinAYear(e.period))
    .sort((a, b) => b.n - a.n || approximateDays(a.period) - approximateDays(b.period));
  if (common.length > 0) return normalize(common[0]!.period);

  const lengths = periods.map((p) => p.days);
  const average = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  return nearestStandardInterval(average);
}

export type ClassifiedPeriod = UnitPeriod & { days: number };

/**
 * The intervals of one stream (payments or advances, in date order), from `start` to its first date and then
 * between consecutive dates, each classified. Flows on the same date are one event.
 */
export function streamPeriods(
  calendar: MonthCalendar,
  start: CalendarDate,
  dates: readonly CalendarDate[],
): ClassifiedPeriod[] {
  // A flow on the first day of the term opens no period.
  const points = [start, ...dates].filter((d, i, all) => i === 0 || d !== all[i - 1]);
  const out: ClassifiedPeriod[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    out.push(classify(calendar, points[k]!, points[k + 1]!, points[k - 1], points[k + 2]));
  }
  // Around a short February, a biweekly stream (Feb 1, Feb 15, Mar 1) also fits the semimonthly pattern. A true
  // semimonthly stream shows intervals other than 14 days somewhere; if none does, the stream is biweekly.
  const semimonths = out.filter((p) => p.unit === 'semimonth');
  if (semimonths.length > 0 && semimonths.every((p) => p.days % 7 === 0)) {
    return out.map((p) => (p.unit === 'semimonth' ? { unit: 'week', count: p.days / 7, days: p.days } : p));
  }
  return out;
}

function isOneMonth(calendar: MonthCalendar, a: CalendarDate, b: CalendarDate): boolean {
  const { months, days } = calendar.split(a, b);
  return months === 1 && days === 0;
}

/**
 * Classifies the interval [a, b]. A semimonth cannot be recognised from two dates alone (1st to 15th is 14 days,
 * 15th to 1st anything from 13 to 17), so an interval of 10 to 20 days counts as a semimonth when the dates two
 * steps apart in its own stream are exactly a month apart.
 */
function classify(
  calendar: MonthCalendar,
  a: CalendarDate,
  b: CalendarDate,
  before: CalendarDate | undefined,
  after: CalendarDate | undefined,
): ClassifiedPeriod {
  const days = daysBetween(a, b);
  const { months, days: odd } = calendar.split(a, b);
  if (months >= 1 && odd === 0) return { unit: 'month', count: months, days };
  const semimonthly =
    days >= 10 &&
    days <= 20 &&
    ((before !== undefined && isOneMonth(calendar, before, b)) ||
      (after !== undefined && isOneMonth(calendar, a, after)));
  if (semimonthly) return { unit: 'semimonth', count: 1, days };
  if (days % 7 === 0) return { unit: 'week', count: days / 7, days };
  return { unit: 'day', count: days, days };
}

function withinAYear(p: UnitPeriod): boolean {
  switch (p.unit) {
    case 'month':
      return p.count <= 12;
    case 'week':
      return p.count <= 52;
    case 'day':
      return p.count <= 365;
    default:
      return true;
  }
}

/** Drops the classification's day count; twelve months is the year unit-period. */
function normalize(p: ClassifiedPeriod): UnitPeriod {
  switch (p.unit) {
    case 'month':
      return p.count === 12 ? { unit: 'year', count: 1 } : { unit: 'month', count: p.count };
    case 'week':
    case 'day':
      return { unit: p.unit, count: p.count };
    case 'semimonth':
    case 'year':
      return { unit: p.unit, count: 1 };
    case 'term':
      return { unit: 'term', count: 1, days: p.days, months: p.months };
  }
}

/** (b)(3)(iii): a day, week, semimonth, month, or a multiple of a week or a month up to a year. */
function nearestStandardInterval(averageDays: number): UnitPeriod {
  const standard: UnitPeriod[] = [{ unit: 'day', count: 1 }];
  for (let w = 1; w <= 52; w++) standard.push({ unit: 'week', count: w });
  standard.push({ unit: 'semimonth', count: 1 });
  for (let m = 1; m <= 11; m++) standard.push({ unit: 'month', count: m });
  standard.push({ unit: 'year', count: 1 });
  standard.sort((a, b) => approximateDays(a) - approximateDays(b));
  let best = standard[0]!;
  for (const s of standard) {
    // Strictly nearer only: on a tie the lower (earlier in the sorted list) is kept.
    if (Math.abs(approximateDays(s) - averageDays) < Math.abs(approximateDays(best) - averageDays)) best = s;
  }
  return best;
}
