import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { LineState, LineStatus, LineTerms, Statement } from '../../domain/revolving/index.js';
import type { LedgerEntry } from '../../product.js';
import { entry, type Movement } from '../support.js';

/** A line's status: its application steps, then the revolving engine's own (active, frozen, closing, ...). */
export type LineLifecycle = 'application' | 'approved' | 'rejected' | 'withdrawn' | LineStatus;

/** A closed billing cycle as the store keeps it (line_statements): integers only, rendered by json.ts. */
export type StatementRecord = Pick<
  Statement,
  | 'periodStart'
  | 'periodEnd'
  | 'dueDate'
  | 'daysInCycle'
  | 'openingBalance'
  | 'draws'
  | 'payments'
  | 'interest'
  | 'fees'
  | 'closingBalance'
  | 'closingPrincipal'
  | 'pastDue'
  | 'minimumPayment'
  | 'creditLimit'
  | 'availableCredit'
  | 'sumOfDailyBalances'
> & {
  number: number;
  /** For a cycle spanning a new year, the sum of daily balances of its days in the first year; else 0. */
  priorYearSum: number;
};

/** The working state of one replay; events.ts and the day loop below change it in place. */
export interface LineReplay {
  terms: LineTerms;
  status: LineLifecycle;
  line: LineState | null;
  /** Interest recognised for the open cycle's days through `accruedThrough` (not billed yet). */
  accrued: Minor;
  accruedThrough: CalendarDate | null;
  statements: StatementRecord[];
  /** The last statement's unpaid minimum carried from the one before, and since when it is unpaid. */
  pastDue: Minor;
  pastDueSince: CalendarDate | null;
  journal: LedgerEntry[];
  effects: Map<string, Record<string, unknown>>;
  writtenOff: Minor;
  recovered: Minor;
  /** Due dates of the statements charged a late fee. */
  lateFeesCharged: Set<CalendarDate>;
}

const VISITED: ReadonlySet<LineLifecycle> = new Set(['active', 'frozen', 'closing']);

/** Whether close of business visits the line: it is open and bills cycles. */
export const isServiced = (
  r: Pick<LineReplay, 'status' | 'line'>,
): r is { status: LineStatus; line: LineState } => r.line !== null && VISITED.has(r.status);

export function post(r: LineReplay, date: CalendarDate, kind: string, id: string | null, moves: Movement[]) {
  const e = entry(date, kind, id, moves);
  if (e) r.journal.push(e);
}

/**
 * The due date from which the line is past due: the last statement's, or an older one while the minimum it
 * carried over is unpaid; null when the last minimum payment is paid (or there is nothing to pay).
 */
export function oldestUnpaidDue(r: LineReplay): CalendarDate | null {
  const last = r.line?.lastStatement;
  if (!last || last.paidSinceStatement >= last.minimumPayment) return null;
  return last.paidSinceStatement >= r.pastDue ? last.dueDate : r.pastDueSince;
}
