import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';
import type { LedgerEntry, LedgerLine } from '../product.js';

/**
 * How engine entries become journal rows, and what a write must post so that the stored (append-only) journal
 * stays equal to the replay.
 *
 * A stored row is one posting with both sides: debit one account, credit another, one positive amount. Every row
 * balances by construction, so the journal balances whatever is inserted. An entry of several legs (a payment
 * allocated to interest and principal) becomes several rows sharing its date, kind and event.
 */
export interface Posting {
  entryDate: CalendarDate;
  kind: string;
  eventId: string | null;
  debitAccount: string;
  creditAccount: string;
  amount: Minor;
}

export type Balances = Record<string, Minor>;

/** Splits a balanced entry into two-sided postings (debits matched to credits in line order). */
export function toPostings(entry: LedgerEntry): Posting[] {
  const debits = entry.lines.filter((l) => l.side === 'debit').map((l) => ({ ...l }));
  const credits = entry.lines.filter((l) => l.side === 'credit').map((l) => ({ ...l }));
  const out: Posting[] = [];
  let d = 0;
  let c = 0;
  while (d < debits.length && c < credits.length) {
    const debit = debits[d]!;
    const credit = credits[c]!;
    const amount = Math.min(debit.amount, credit.amount);
    if (amount > 0)
      out.push({
        entryDate: entry.date,
        kind: entry.kind,
        eventId: entry.eventId,
        debitAccount: debit.account,
        creditAccount: credit.account,
        amount,
      });
    debit.amount -= amount;
    credit.amount -= amount;
    if (debit.amount === 0) d++;
    if (credit.amount === 0) c++;
  }
  if (d < debits.length || c < credits.length)
    throw new Error(`unbalanced ${entry.kind} entry on ${entry.date}`);
  return out;
}

/** Signed balance per account (debits positive) over entries. */
export function ledgerBalances(entries: readonly LedgerEntry[]): Balances {
  const b: Balances = {};
  for (const e of entries)
    for (const l of e.lines) b[l.account] = (b[l.account] ?? 0) + (l.side === 'debit' ? l.amount : -l.amount);
  return b;
}

export function addBalances(a: Balances, b: Balances): Balances {
  const out: Balances = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

const negate = (b: Balances): Balances => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, 0 - v]));

/** Drops zero balances, so that two equal ledgers compare equal whatever accounts they ever touched. */
export const nonZero = (b: Balances): Balances =>
  Object.fromEntries(Object.entries(b).filter(([, v]) => v !== 0));

function entryOf(
  date: CalendarDate,
  kind: string,
  eventId: string | null,
  signed: Balances,
): LedgerEntry | null {
  const lines: LedgerLine[] = [];
  for (const [account, amount] of Object.entries(signed).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (amount > 0) lines.push({ account, side: 'debit', amount });
    else if (amount < 0) lines.push({ account, side: 'credit', amount: -amount });
  }
  return lines.length === 0 ? null : { date, kind, eventId, lines };
}

/**
 * What a write posts: the new event's own entries from the replay (a payment and its allocation, dated the
 * payment's effective date), plus one `restatement` entry dated `today` for whatever else changed between the
 * stored journal (`before`) and the replay (`after`): late fees a backdated payment made undeserved, the history a
 * reversal restates, interest a backdated disbursement earned. Afterwards the stored balances equal `after`.
 */
export function journalDelta(
  replayed: readonly LedgerEntry[],
  eventId: string | null,
  before: Balances,
  after: Balances,
  today: CalendarDate,
): LedgerEntry[] {
  const own = eventId === null ? [] : replayed.filter((e) => e.eventId === eventId);
  const rest = addBalances(after, negate(addBalances(ledgerBalances(own), before)));
  let sum = 0;
  for (const v of Object.values(rest)) sum += v;
  if (sum !== 0) throw new Error(`restatement of ${eventId} does not balance: ${sum}`);
  const restatement = entryOf(today, 'restatement', eventId, rest);
  return restatement ? [...own, restatement] : own;
}
