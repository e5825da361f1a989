import { addDays, addMonths, type CalendarDate, parseDate } from '../../../src/kernel/dates.js';
import { type AprFlow, type AprInput, computeApr } from '../../../src/modules/lending/domain/apr/compute.js';

/** Cash-flow builders for the APR tests (domain/apr): dates from strings, series, a single flow, a solved APR. */
export const d = parseDate;

export function series(
  amount: number,
  first: string,
  count: number,
  step: (first: CalendarDate, k: number) => CalendarDate,
): AprFlow[] {
  return Array.from({ length: count }, (_, k) => ({ amount, date: step(d(first), k) }));
}
export const everyMonths = (months: number) => (first: CalendarDate, k: number) =>
  addMonths(first, months * k);
export const everyDays = (days: number) => (first: CalendarDate, k: number) => addDays(first, days * k);
export const single = (amount: number, date: string): AprFlow[] => [{ amount, date: d(date) }];

/** computeApr's result, or a thrown error naming its problem. */
export function apr(input: AprInput) {
  const result = computeApr(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
