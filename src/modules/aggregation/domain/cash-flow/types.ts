import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { AccountType } from '../types.js';

/** The inputs of the cash-flow summary: settled transactions and balance anchors of a customer's accounts. */

export interface CashFlowAccount {
  id: string;
  accountType: AccountType;
}

export interface CashFlowTransaction {
  id: string;
  accountId: string;
  /** Minor units, from the holder's side: money in is positive. */
  amount: Minor;
  date: CalendarDate;
  description: string;
  transactionType: string;
  subtype: string;
}

/** A known end-of-day balance (from a balance snapshot). */
export interface BalanceAnchor {
  accountId: string;
  date: CalendarDate;
  balance: Minor;
}

export interface Period {
  start: CalendarDate;
  end: CalendarDate;
}

export type Cadence = 'weekly' | 'biweekly' | 'semimonthly' | 'monthly';
