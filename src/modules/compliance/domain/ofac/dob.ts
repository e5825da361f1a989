import { type CalendarDate, daysInMonth, fromParts, isCalendarDate } from '../../../../kernel/dates.js';

/**
 * A date of birth as OFAC states it in the remarks: a day ("DOB 10 Dec 1948"), a month ("DOB Dec 1948"), a year
 * ("DOB 1948"), an approximate year ("DOB circa 1948", taken as ±1 year) or a range ("DOB 1960 to 1962"),
 * held as the first and last day it may be.
 */
export interface BirthDate {
  from: CalendarDate;
  to: CalendarDate;
  text: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toUpperCase()) + 1;

const yearRange = (a: number, b: number) => ({ from: fromParts(a, 1, 1), to: fromParts(b, 12, 31) });

function parseOne(text: string): BirthDate | undefined {
  const t = text.trim();
  let m = /^(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})$/.exec(t);
  if (m && month(m[2]!) > 0) {
    const date = fromParts(Number(m[3]), month(m[2]!), Number(m[1]));
    return isCalendarDate(date) ? { from: date, to: date, text: t } : undefined;
  }
  m = /^([A-Za-z]{3,9}) (\d{4})$/.exec(t);
  if (m && month(m[1]!) > 0) {
    const y = Number(m[2]);
    const mo = month(m[1]!);
    return { from: fromParts(y, mo, 1), to: fromParts(y, mo, daysInMonth(y, mo)), text: t };
  }
  m = /^(\d{4})$/.exec(t);
  if (m) return { ...yearRange(Number(m[1]), Number(m[1])), text: t };
  m = /^circa (\d{4})$/i.exec(t);
  if (m) return { ...yearRange(Number(m[1]) - 1, Number(m[1]) + 1), text: t };
  m = /^(\d{4}) to (\d{4})$/.exec(t);
  if (m && Number(m[1]) <= Number(m[2])) return { ...yearRange(Number(m[1]), Number(m[2])), text: t };
  return undefined;
}

/** Every date of birth in an SDN entry's remarks; unrecognized forms are skipped (the name still screens). */
export function datesOfBirth(remarks: string | null): BirthDate[] {
  if (!remarks) return [];
  const out: BirthDate[] = [];
  for (const m of remarks.matchAll(/\bDOB ([^;]+)/g)) {
    const parsed = parseOne(m[1]!.replace(/\.$/, ''));
    if (parsed) out.push(parsed);
  }
  return out;
}

export const birthDateCovers = (b: BirthDate, d: CalendarDate): boolean => d >= b.from && d <= b.to;
