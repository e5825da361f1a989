import { z } from 'zod';

/**
 * A calendar date (due date, posting date, business date) as `YYYY-MM-DD`. It is not an instant: it never passes
 * through a time zone conversion. Arithmetic goes through epoch days (days since 1970-01-01), which is exact.
 */
export type CalendarDate = string & { readonly __calendarDate: unique symbol };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export const daysInYear = (y: number): number => (isLeapYear(y) ? 366 : 365);

export function isCalendarDate(value: string): value is CalendarDate {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function parseDate(value: string): CalendarDate {
  if (!isCalendarDate(value)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${value}`);
  return value;
}

export const dateSchema = z
  .string()
  .refine(isCalendarDate, { message: 'must be a calendar date YYYY-MM-DD' })
  .transform((s) => s as CalendarDate);

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

// A CalendarDate is always `YYYY-MM-DD` (parseDate, fromParts): its fields are read from the character codes, not
// sliced and parsed, since schedules and accruals take dates apart hundreds of times per loan (a fifth of a
// 360-row tranche schedule's time went to slicing).
const digit = (d: string, i: number): number => d.charCodeAt(i) - 48;
const yearOf = (d: string): number => digit(d, 0) * 1000 + digit(d, 1) * 100 + digit(d, 2) * 10 + digit(d, 3);
const monthOf = (d: string): number => digit(d, 5) * 10 + digit(d, 6);
const dayOf = (d: string): number => digit(d, 8) * 10 + digit(d, 9);

export function dateParts(d: CalendarDate): DateParts {
  return { year: yearOf(d), month: monthOf(d), day: dayOf(d) };
}

export function fromParts(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
export function toEpochDay(d: CalendarDate): number {
  let y = yearOf(d);
  const m = monthOf(d);
  const day = dayOf(d);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(n: number): CalendarDate {
  const z0 = n + 719468;
  const era = Math.floor(z0 / 146097);
  const doe = z0 - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fromParts(year, month, day);
}

export const addDays = (d: CalendarDate, n: number): CalendarDate => fromEpochDay(toEpochDay(d) + n);

/** Whole days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: CalendarDate, b: CalendarDate): number => toEpochDay(b) - toEpochDay(a);

/**
 * Adds months keeping the anchor day where the month allows it, else the month's last day
 * (Jan 31 + 1 month = Feb 28/29; + 2 months = Mar 31 when anchored on day 31).
 */
export function addMonths(d: CalendarDate, n: number, anchorDay?: number): CalendarDate {
  const { year, month, day } = dateParts(d);
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return fromParts(y, m, Math.min(anchorDay ?? day, daysInMonth(y, m)));
}

export const compareDates = (a: CalendarDate, b: CalendarDate): number => (a < b ? -1 : a > b ? 1 : 0);
export const minDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b);
export const maxDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);

/** Today's calendar date in an IANA time zone (a tenant's or a customer's), from an instant. */
export function dateInZone(instant: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return fromParts(get('year'), get('month'), get('day'));
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The date and time a clock on the wall shows in an IANA time zone at an instant (Intl applies the DST rules). */
export interface WallClock {
  date: CalendarDate;
  hour: number;
  minute: number;
  second: number;
  /** Seconds since local midnight. */
  secondOfDay: number;
}

/** Throws RangeError for a zone Intl does not know: check with isTimeZone first. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  let fmt = zoneFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)!.value);
  const hour = get('hour');
  const minute = get('minute');
  const second = get('second');
  return {
    date: fromParts(get('year'), get('month'), get('day')),
    hour,
    minute,
    second,
    secondOfDay: hour * 3600 + minute * 60 + second,
  };
}

// How far a zone's wall clock is ahead of UTC at an instant, in milliseconds (whole seconds only).
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(new Date(instantMs), timeZone);
  const { year, month, day } = dateParts(w.date);
  const wall = Date.UTC(year, month - 1, day, w.hour, w.minute, w.second);
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The instant a calendar date begins in an IANA time zone: the inverse of `dateInZone` at midnight. Used to turn
 * a range of business dates (a US broker's trading days, say) into the instants a vendor API filters on.
 */
export function startOfDayInZone(d: CalendarDate, timeZone: string): Date {
  const { year, month, day } = dateParts(d);
  const wallMidnight = Date.UTC(year, month - 1, day);
  // The offset depends on the instant we are looking for; a second pass settles it across a DST change.
  let t = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  t = wallMidnight - zoneOffsetMs(t, timeZone);
  return new Date(t);
}
