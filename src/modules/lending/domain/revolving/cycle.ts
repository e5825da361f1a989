import { type CalendarDate, dateParts, daysInMonth, fromParts } from '../../../../kernel/dates.js';

/** The cycle's closing date in a given month: the cycle day, or the month's last day when it is shorter. */
export function closingDateIn(year: number, month: number, cycleDay: number): CalendarDate {
  return fromParts(year, month, Math.min(cycleDay, daysInMonth(year, month)));
}

/** The first closing date strictly after the day the line opens. */
export function firstCycleEnd(openDate: CalendarDate, cycleDay: number): CalendarDate {
  const { year, month } = dateParts(openDate);
  const thisMonth = closingDateIn(year, month, cycleDay);
  return thisMonth > openDate ? thisMonth : nextCycleEnd(thisMonth, cycleDay);
}

/** The closing date in the month after `previousEnd` (cycle day 31 closes on Feb 28, then Mar 31). */
export function nextCycleEnd(previousEnd: CalendarDate, cycleDay: number): CalendarDate {
  const { year, month } = dateParts(previousEnd);
  return month === 12 ? closingDateIn(year + 1, 1, cycleDay) : closingDateIn(year, month + 1, cycleDay);
}
