import {
  addDays,
  addMonths,
  type CalendarDate,
  daysBetween,
  fromParts,
  maxDate,
  minDate,
} from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { AccountType } from '../types.js';
import { averageOf, dailyBalances, negativeEpisodes } from './balances.js';
import { type IncomeSummary, incomeSummary } from './income.js';
import { type NegativeEpisode, type NsfOverdraftSummary, nsfOverdraft } from './nsf.js';
import { type RecurringDebit, recurringDebits } from './recurring.js';
import { internalTransfers } from './transfers.js';
import type { BalanceAnchor, CashFlowAccount, CashFlowTransaction, Period } from './types.js';

export type { BalanceAnchor, CashFlowAccount, CashFlowTransaction, Period } from './types.js';

/**
 * The underwriting summary of a customer's linked deposit accounts over a period: the input of the
 * ability-to-repay rule. Pure: settled transactions and balance anchors in, figures out. Amounts are minor units;
 * outflows are reported as positive magnitudes.
 */

/** Accounts whose flows are the customer's cash flow (card, loan and brokerage flows would double count). */
export const CASH_FLOW_ACCOUNT_TYPES: readonly AccountType[] = ['checking', 'savings', 'money_market'];

export interface CashFlowInput {
  period: Period;
  accounts: readonly CashFlowAccount[];
  /** Settled transactions of those accounts, from the period's start on (later ones help walk balances back). */
  transactions: readonly CashFlowTransaction[];
  anchors: readonly BalanceAnchor[];
}

export interface MonthFlow {
  /** `YYYY-MM` */
  month: string;
  start: CalendarDate;
  end: CalendarDate;
  /** The period covers only part of the month. */
  partial: boolean;
  inflow: Minor;
  outflow: Minor;
  net: Minor;
  transactions: number;
}

export interface CashFlowSummary {
  period: Period & { days: number };
  accounts: { included: string[]; withoutBalance: string[] };
  months: MonthFlow[];
  totals: { inflow: Minor; outflow: Minor; net: Minor };
  /** Sum over accounts of each one's average end-of-day balance; null when no account has a known balance. */
  averageDailyBalance: Minor | null;
  nsfOverdraft: NsfOverdraftSummary;
  income: IncomeSummary;
  recurringDebits: RecurringDebit[];
  internalTransfersExcluded: number;
}

function monthsOf(
  period: Period,
): { month: string; start: CalendarDate; end: CalendarDate; partial: boolean }[] {
  const out = [];
  let first = fromParts(Number(period.start.slice(0, 4)), Number(period.start.slice(5, 7)), 1);
  while (first <= period.end) {
    const next = addMonths(first, 1);
    const start = maxDate(first, period.start);
    const end = minDate(addDays(next, -1), period.end);
    out.push({ month: first.slice(0, 7), start, end, partial: start !== first || end !== addDays(next, -1) });
    first = next;
  }
  return out;
}

export function summarizeCashFlow(input: CashFlowInput): CashFlowSummary {
  const { period } = input;
  const days = daysBetween(period.start, period.end) + 1;
  const included = new Set(input.accounts.map((a) => a.id));
  const own = input.transactions.filter((t) => included.has(t.accountId));
  const inPeriod = own.filter((t) => t.date >= period.start && t.date <= period.end);
  const transfers = internalTransfers(inPeriod);
  const flows = inPeriod.filter((t) => !transfers.has(t.id));

  const months = monthsOf(period).map((m) => {
    const list = flows.filter((t) => t.date >= m.start && t.date <= m.end);
    const inflow = list.reduce((a, t) => a + (t.amount > 0 ? t.amount : 0), 0);
    const outflow = list.reduce((a, t) => a + (t.amount < 0 ? -t.amount : 0), 0);
    return { ...m, inflow, outflow, net: inflow - outflow, transactions: list.length };
  });
  const inflow = months.reduce((a, m) => a + m.inflow, 0);
  const outflow = months.reduce((a, m) => a + m.outflow, 0);

  let adb: Minor | null = null;
  const withoutBalance: string[] = [];
  const episodes: NegativeEpisode[] = [];
  for (const account of input.accounts) {
    const balances = dailyBalances(
      period,
      input.anchors.filter((a) => a.accountId === account.id),
      own.filter((t) => t.accountId === account.id),
    );
    if (!balances) {
      withoutBalance.push(account.id);
      continue;
    }
    adb = (adb ?? 0) + averageOf(balances);
    for (const e of negativeEpisodes(balances))
      episodes.push({ accountId: account.id, start: addDays(period.start, e.startIndex), days: e.days });
  }

  return {
    period: { ...period, days },
    accounts: { included: [...included], withoutBalance },
    months,
    totals: { inflow, outflow, net: inflow - outflow },
    averageDailyBalance: adb,
    nsfOverdraft: nsfOverdraft(flows, episodes),
    income: incomeSummary(flows, days),
    recurringDebits: recurringDebits(flows, period.end),
    internalTransfersExcluded: transfers.size,
  };
}
