import type { SQL } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { err, type Failure, failure, ok, type Result } from '../../../kernel/result.js';
import type { LateFeeTerms } from '../domain/common-terms.js';
import type { ActionInput, CobBatch, CobStep, LedgerEntry, LedgerLine, StoredEvent } from '../product.js';

/** What the lease and line-of-credit replays and close of business share. */

/** A signed journal movement: positive debits the account, negative credits it. */
export type Movement = readonly [string, Minor];

/**
 * A balanced entry from signed movements (an account's movements merged, zeros dropped), or null when nothing
 * moves. Throws when they do not balance: a bug, never a business outcome.
 */
export function entry(
  date: CalendarDate,
  kind: string,
  eventId: string | null,
  moves: readonly Movement[],
): LedgerEntry | null {
  const net = new Map<string, Minor>();
  let sum = 0;
  for (const [account, amount] of moves) {
    net.set(account, (net.get(account) ?? 0) + amount);
    sum += amount;
  }
  if (sum !== 0) throw new Error(`unbalanced ${kind} entry on ${date}: ${sum}`);
  const lines: LedgerLine[] = [];
  for (const [account, amount] of net) {
    if (amount > 0) lines.push({ account, side: 'debit', amount });
    else if (amount < 0) lines.push({ account, side: 'credit', amount: -amount });
  }
  return lines.length === 0 ? null : { date, kind, eventId, lines };
}

export const isBalanced = (e: LedgerEntry): boolean =>
  e.lines.reduce((s, l) => s + (l.side === 'debit' ? l.amount : -l.amount), 0) === 0;

/** Events in the order a replay applies them: by effective date, then in the order they were recorded. */
export const inReplayOrder = (events: readonly StoredEvent[]): StoredEvent[] =>
  [...events].sort((a, b) =>
    a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.sequence - b.sequence,
  );

/**
 * Checks the reversals of sorted events: each names an earlier payment, at most once. Returns reversed payment id →
 * reversal date; a reversed payment is never applied (the history is restated as if it had not been received).
 */
export function reversedPayments(sorted: readonly StoredEvent[]): Result<Map<string, CalendarDate>, Failure> {
  const seen = new Map<string, StoredEvent>();
  const reversed = new Map<string, CalendarDate>();
  for (const e of sorted) {
    if (seen.has(e.id)) return err(failure('conflict', 'duplicate_event', `event ${e.id} appears twice`));
    seen.set(e.id, e);
    if (e.type !== 'payment_reversal') continue;
    const paymentId = String(e.payload.paymentId);
    if (seen.get(paymentId)?.type !== 'payment')
      return err(
        failure('unprocessable', 'unknown_payment', `no earlier payment ${paymentId} to reverse`, {
          fields: [{ path: 'payment_id', message: 'must name a payment recorded before the reversal date' }],
        }),
      );
    if (reversed.has(paymentId))
      return err(failure('conflict', 'duplicate_reversal', `payment ${paymentId} is already reversed`));
    reversed.set(paymentId, e.effectiveDate);
  }
  return ok(reversed);
}

/** What a product's replay does on the days it visits (see `replayDays`). */
export interface DayVisits {
  /** Whether close of business visits the account now (it is serviced). */
  serviced(): boolean;
  /** Days after the events' where the product's close of business has work (a cycle end, a late-fee check). */
  workDays(): CalendarDate[];
  /** Start of a serviced day: recognise what the days before it earned. */
  startOfDay(day: CalendarDate): void;
  apply(event: StoredEvent): Result<void>;
  /** A reversed payment is never applied: the history is restated as if it had not been received. */
  reversed(event: StoredEvent, on: CalendarDate): void;
  /** The close of business of a serviced day. */
  endOfDay(day: CalendarDate): Result<void>;
}

/**
 * The day loop of a replay as of `asOf`: only the days where something happens are visited, in order (an event's
 * effective date, a work day, `asOf`). On each: the start of day, the day's events in sequence order, then — for
 * days before `asOf`, and for `asOf` after its close of business — the close of business. Accruals are cumulative,
 * so visiting only these days posts what close of business posts day by day.
 */
export function replayDays(
  events: readonly StoredEvent[],
  asOf: CalendarDate,
  closeOfBusiness: boolean,
  visit: DayVisits,
): Result<void> {
  const sorted = inReplayOrder(events);
  const reversed = reversedPayments(sorted);
  if (!reversed.ok) return reversed;
  let next = 0;
  let visited: CalendarDate | null = null;
  while (visited === null || visited < asOf) {
    const candidates: CalendarDate[] = [asOf];
    const ev = sorted[next];
    if (ev && ev.effectiveDate <= asOf) candidates.push(ev.effectiveDate);
    if (visit.serviced()) candidates.push(...visit.workDays());
    const day = candidates.filter((c) => visited === null || c > visited).sort()[0]!;
    if (visit.serviced()) visit.startOfDay(day);
    for (; sorted[next]?.effectiveDate === day; next++) {
      const e = sorted[next]!;
      const on = reversed.value.get(e.id);
      if (on !== undefined) visit.reversed(e, on);
      else if (e.type !== 'payment_reversal') {
        // A reversal's own effect is the restated history before it.
        const applied = visit.apply(e);
        if (!applied.ok) return applied;
      }
    }
    if ((closeOfBusiness || day < asOf) && visit.serviced()) {
      const closed = visit.endOfDay(day);
      if (!closed.ok) return closed;
    }
    visited = day;
  }
  return ok(undefined);
}

/** Runs a close-of-business statement that ends in `SELECT count(*) AS n`; returns n. */
export async function countOf(db: Db, query: SQL): Promise<number> {
  const [r] = await rows<{ n: string | number }>(db, query);
  return Number(r?.n ?? 0);
}

/** A close-of-business step running one statement (built beside the engine rule it mirrors) over each batch. */
export const cobStep = (name: string, statement: (b: CobBatch) => SQL): CobStep => ({
  name,
  run: (db, b) => countOf(db, statement(b)),
});

export const lateFeeJson = (fee: LateFeeTerms | null) =>
  fee === null
    ? null
    : fee.type === 'flat'
      ? { type: 'flat', amount: fee.amount, grace_days: fee.graceDays }
      : { type: 'percent', percent: fee.percent, grace_days: fee.graceDays, min: fee.min, max: fee.max };

/** A product's refusal of an action it does not have. */
export const unsupported = (product: string, action: string) =>
  err(
    failure(
      'unprocessable',
      'unsupported_action',
      `${product.replaceAll('_', ' ')}s do not support ${action}`,
      {
        extra: { product },
      },
    ),
  );

/**
 * A payment reversal's payload. A returned payment (`details.returned`: a bank return or a chargeback) keeps the
 * business date it is processed on: late fees and delinquency the restated history would assess on days already
 * closed are assessed from that date (domain/installment/returns.ts, line_of_credit/returns.ts).
 */
export const reversalPayload = (input: ActionInput, businessDate: CalendarDate) => ({
  paymentId: input.paymentId,
  ...(input.details?.returned === true && { assessFrom: businessDate }),
});
