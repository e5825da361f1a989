import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { Component } from './terms.js';

/**
 * The loan's double-entry journal. Each entry's debits equal its credits. Balances are signed with debits
 * positive, so asset and expense accounts are normally positive, liability and income accounts negative.
 *
 *   cash                   money in (payments, recoveries) and out (disbursement, refunds)
 *   loans_receivable       principal owed
 *   interest_receivable    interest recognised and not yet paid; negative while interest is paid in advance
 *   fees_receivable        fees charged and not yet paid
 *   penalties_receivable   penalties (late fees, prepayment penalty) charged and not yet paid
 *   interest_income / fee_income / penalty_income   recognised income (waivers reverse it)
 *   overpayment_liability  the borrower's credit balance
 *   charge_off_expense     receivables written off
 *   recoveries             money collected after charge-off
 */
export const ACCOUNTS = [
  'cash',
  'loans_receivable',
  'interest_receivable',
  'fees_receivable',
  'penalties_receivable',
  'interest_income',
  'fee_income',
  'penalty_income',
  'overpayment_liability',
  'charge_off_expense',
  'recoveries',
] as const;
export type Account = (typeof ACCOUNTS)[number];

export const RECEIVABLE: Record<Component, Account> = {
  principal: 'loans_receivable',
  interest: 'interest_receivable',
  fees: 'fees_receivable',
  penalties: 'penalties_receivable',
};

export const INCOME: Record<Exclude<Component, 'principal'>, Account> = {
  interest: 'interest_income',
  fees: 'fee_income',
  penalties: 'penalty_income',
};

export const JOURNAL_KINDS = [
  'disbursement',
  'accrual',
  'charge',
  'payment',
  'restatement',
  'reclassification',
  'waiver',
  'charge_off',
  'recovery',
  'refund',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalLine {
  account: Account;
  side: 'debit' | 'credit';
  amount: Minor;
}

export interface JournalEntry {
  date: CalendarDate;
  kind: JournalKind;
  /** The event that caused it; null for what the close of business derives (accruals, late fees, charge-off). */
  eventId: string | null;
  lines: JournalLine[];
}

/** A signed movement: positive debits the account, negative credits it. */
export type Movement = readonly [Account, Minor];

/**
 * Builds a balanced entry from signed movements (merging an account's movements and dropping zeros), or returns
 * null when nothing moves. Throws if the movements do not balance: that is a bug, never a business outcome.
 */
export function journalEntry(
  date: CalendarDate,
  kind: JournalKind,
  eventId: string | null,
  movements: readonly Movement[],
): JournalEntry | null {
  const net = new Map<Account, Minor>();
  let sum = 0;
  for (const [account, amount] of movements) {
    net.set(account, (net.get(account) ?? 0) + amount);
    sum += amount;
  }
  if (sum !== 0) throw new Error(`unbalanced ${kind} entry on ${date}: ${sum}`);
  const lines: JournalLine[] = [];
  for (const [account, amount] of net) {
    if (amount > 0) lines.push({ account, side: 'debit', amount });
    else if (amount < 0) lines.push({ account, side: 'credit', amount: -amount });
  }
  return lines.length === 0 ? null : { date, kind, eventId, lines };
}

export const isBalanced = (e: JournalEntry): boolean =>
  e.lines.reduce((s, l) => s + (l.side === 'debit' ? l.amount : -l.amount), 0) === 0;

export const emptyBalances = (): Record<Account, Minor> =>
  Object.fromEntries(ACCOUNTS.map((a) => [a, 0])) as Record<Account, Minor>;

/** Signed balance per account (debits positive) over `entries`, optionally only those dated up to `through`. */
export function journalBalances(
  entries: readonly JournalEntry[],
  through?: CalendarDate,
): Record<Account, Minor> {
  const b = emptyBalances();
  for (const e of entries) {
    if (through !== undefined && e.date > through) continue;
    for (const l of e.lines) b[l.account] += l.side === 'debit' ? l.amount : -l.amount;
  }
  return b;
}

/**
 * The entry an append-only journal posts when a reversal or a backdated event restates a loan: the difference
 * between the balances of the replay before it and after it, dated the day it is recorded. Null when nothing moves.
 */
export function restatementEntry(
  before: Record<Account, Minor>,
  after: Record<Account, Minor>,
  date: CalendarDate,
  eventId: string,
): JournalEntry | null {
  return journalEntry(
    date,
    'restatement',
    eventId,
    ACCOUNTS.map((a) => [a, after[a] - before[a]] as const),
  );
}
