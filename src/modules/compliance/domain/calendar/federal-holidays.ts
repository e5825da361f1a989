import { addDays, type CalendarDate, daysInMonth, fromParts, toEpochDay } from '../../../../kernel/dates.js';

/**
 * The legal public holidays of 5 U.S.C. 6103(a), computed for any year, with the day each is observed by the
 * federal government when it falls on a weekend (6103(b); Executive Order 11582): Saturday → the Friday before,
 * Sunday → the Monday after. Juneteenth counts from 2021 (Pub. L. 117-17). Inauguration Day (6103(c)) is a holiday
 * only for federal employees in the Washington area and is left out.
 */
export interface FederalHoliday {
  name: string;
  date: CalendarDate;
  observed: CalendarDate;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export const weekday = (d: CalendarDate): number => (((toEpochDay(d) + 4) % 7) + 7) % 7;

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, dow: number, n: number): CalendarDate {
  if (n > 0) {
    const first = fromParts(year, month, 1);
    return addDays(first, ((dow - weekday(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = fromParts(year, month, daysInMonth(year, month));
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

function observedDay(date: CalendarDate): CalendarDate {
  const dow = weekday(date);
  if (dow === 6) return addDays(date, -1);
  if (dow === 0) return addDays(date, 1);
  return date;
}

const MONDAY = 1;
const THURSDAY = 4;

export function federalHolidays(year: number): FederalHoliday[] {
  const fixed = (name: string, month: number, day: number) => {
    const date = fromParts(year, month, day);
    return { name, date, observed: observedDay(date) };
  };
  const floating = (name: string, month: number, dow: number, n: number) => {
    const date = nthWeekday(year, month, dow, n);
    return { name, date, observed: date };
  };
  const list: FederalHoliday[] = [
    fixed("New Year's Day", 1, 1),
    floating('Birthday of Martin Luther King, Jr.', 1, MONDAY, 3),
    floating("Washington's Birthday", 2, MONDAY, 3),
    floating('Memorial Day', 5, MONDAY, -1),
    fixed('Independence Day', 7, 4),
    floating('Labor Day', 9, MONDAY, 1),
    floating('Columbus Day', 10, MONDAY, 2),
    fixed('Veterans Day', 11, 11),
    floating('Thanksgiving Day', 11, THURSDAY, 4),
    fixed('Christmas Day', 12, 25),
  ];
  if (year >= 2021) list.splice(4, 0, fixed('Juneteenth National Independence Day', 6, 19));
  return list;
}

export interface HolidayHit {
  name: string;
  /** The date is the weekday the holiday is observed on, not the holiday's own date. */
  observed: boolean;
}

const byYear = new Map<number, Map<CalendarDate, HolidayHit>>();

/**
 * Holiday names by date for a year: each holiday's own date and, with `observed`, the weekday it is observed on.
 * The next year's New Year's Day can be observed on this year's December 31.
 */
function holidayDates(year: number): Map<CalendarDate, HolidayHit> {
  let map = byYear.get(year);
  if (!map) {
    map = new Map();
    const prefix = String(year).padStart(4, '0');
    for (const y of [year, year + 1]) {
      for (const h of federalHolidays(y)) {
        if (h.date.startsWith(prefix)) map.set(h.date, { name: h.name, observed: false });
        if (h.observed !== h.date && h.observed.startsWith(prefix))
          map.set(h.observed, { name: h.name, observed: true });
      }
    }
    byYear.set(year, map);
  }
  return map;
}

/** The holiday a date is (as itself, or as the observed day of one), or undefined. */
export const federalHolidayOn = (d: CalendarDate): HolidayHit | undefined =>
  holidayDates(Number(d.slice(0, 4))).get(d);
