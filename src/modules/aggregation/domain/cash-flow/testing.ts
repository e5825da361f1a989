import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { CashFlowTransaction } from './types.js';

/** Builders for the cash-flow tests. */
let seq = 0;

export function tx(
  date: string,
  amount: number,
  description: string,
  over: Partial<CashFlowTransaction> = {},
): CashFlowTransaction {
  return {
    id: `t${++seq}`,
    accountId: 'chk',
    amount,
    date: date as CalendarDate,
    description,
    transactionType: 'other',
    subtype: 'other',
    ...over,
  };
}

/** `count` transactions every `days` days from `start`. */
export function every(
  start: string,
  days: number,
  count: number,
  make: (date: string, i: number) => CashFlowTransaction,
): CashFlowTransaction[] {
  return Array.from({ length: count }, (_, i) => make(addDays(start as CalendarDate, i * days), i));
}

/** On the same day of `count` consecutive months. */
export function monthly(
  firstMonth: string,
  day: number,
  count: number,
  make: (date: string, i: number) => CashFlowTransaction,
): CashFlowTransaction[] {
  const [y, m] = firstMonth.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const total = y * 12 + (m - 1) + i;
    const date = `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return make(date, i);
  });
}
