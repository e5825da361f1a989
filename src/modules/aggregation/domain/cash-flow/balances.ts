import { Decimal } from 'decimal.js';
import { addDays, daysBetween, maxDate, minDate } from '../../../../kernel/dates.js';
import { type Minor, roundMinor } from '../../../../kernel/money.js';
import type { BalanceAnchor, CashFlowTransaction, Period } from './types.js';

/**
 * End-of-day balances of one account over a period, from its balance anchors and its settled transactions:
 * a day's balance is the nearest anchor's, moved by the transactions between the two days. Null when the account
 * has no anchor at all.
 */
export function dailyBalances(
  period: Period,
  anchors: readonly BalanceAnchor[],
  transactions: readonly CashFlowTransaction[],
): Minor[] | null {
  if (anchors.length === 0) return null;
  const from = anchors.reduce((d, a) => minDate(d, a.date), period.start);
  const to = anchors.reduce((d, a) => maxDate(d, a.date), period.end);
  const span = daysBetween(from, to) + 1;
  // cumulative[i]: the sum of amounts dated on or before day i of the span.
  const cumulative = new Array<number>(span).fill(0);
  for (const t of transactions) {
    const i = daysBetween(from, t.date);
    if (i >= 0 && i < span) cumulative[i]! += t.amount;
  }
  let running = 0;
  for (let i = 0; i < span; i++) {
    running += cumulative[i] ?? 0;
    cumulative[i] = running;
  }
  const sorted = [...anchors].sort((a, b) => a.date.localeCompare(b.date));
  const days = daysBetween(period.start, period.end) + 1;
  const out: Minor[] = [];
  let k = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays(period.start, d);
    // Move to the anchor nearest this day (ties go to the later one, which has seen more of the account).
    while (
      k + 1 < sorted.length &&
      Math.abs(daysBetween(day, sorted[k + 1]!.date)) <= Math.abs(daysBetween(day, sorted[k]!.date))
    )
      k++;
    const anchor = sorted[k]!;
    const i = daysBetween(from, day);
    const j = daysBetween(from, anchor.date);
    out.push(anchor.balance + cumulative[i]! - cumulative[j]!);
  }
  return out;
}

export const averageOf = (balances: readonly Minor[]): Minor =>
  balances.length === 0
    ? 0
    : roundMinor(balances.reduce((a, b) => a.plus(b), new Decimal(0)).div(balances.length));

/** Runs of consecutive days below zero: their first day (as an offset into the period) and length. */
export function negativeEpisodes(balances: readonly Minor[]): { startIndex: number; days: number }[] {
  const out: { startIndex: number; days: number }[] = [];
  for (let i = 0; i < balances.length; i++) {
    if (balances[i]! >= 0) continue;
    if (i > 0 && balances[i - 1]! < 0) out.at(-1)!.days++;
    else out.push({ startIndex: i, days: 1 });
  }
  return out;
}
