import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import { lateFeeAmount } from '../../domain/common-terms.js';
import type { LeaseTerms } from '../../domain/lease/index.js';
import type { StoredEvent } from '../../product.js';
import { applyEvent } from './events.js';
import { accrue, type LeaseReplay, newReplay, owing, post } from './state.js';

/**
 * Replays a lease's events as of `asOf`, day by day over the days where something happens: the rent earned
 * before the day is recognised, the day's events apply in sequence order, then (after `asOf`'s close of
 * business, or for earlier days) the close of business charges the late fees due that day and recognises the
 * day's rent. A reversed payment is never applied: the history is restated as if it had not been received. The
 * SQL in cob.ts does the same close of business set-wise.
 */
export function replayLease(
  terms: LeaseTerms,
  events: readonly StoredEvent[],
  asOf: CalendarDate,
  options: { closeOfBusiness: boolean },
): Result<LeaseReplay, Failure> {
  const sorted = [...events].sort((a, b) =>
    a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.sequence - b.sequence,
  );
  const reversed = reversals(sorted);
  if (!reversed.ok) return reversed;
  const r = newReplay(terms);
  let next = 0;
  let visited: CalendarDate | null = null;
  while (visited === null || visited < asOf) {
    const candidates: CalendarDate[] = [asOf];
    const ev = sorted[next];
    if (ev && ev.effectiveDate <= asOf) candidates.push(ev.effectiveDate);
    const fee = nextLateFeeOn(r);
    if (fee) candidates.push(fee);
    const day = candidates.filter((c) => visited === null || c > visited).sort()[0]!;
    if (r.status === 'active') accrue(r, day, addDays(day, -1));
    for (; sorted[next]?.effectiveDate === day; next++) {
      const e = sorted[next]!;
      const reversedOn = reversed.value.get(e.id);
      if (reversedOn !== undefined) {
        r.effects.set(e.id, { allocation: [], reversed_on: reversedOn });
        continue;
      }
      if (e.type === 'payment_reversal') continue; // its effect is the restated history before it
      const applied = applyEvent(r, e);
      if (!applied.ok) return applied;
    }
    if ((options.closeOfBusiness || day < asOf) && r.status === 'active') {
      chargeLateFees(r, day);
      accrue(r, addDays(day, 1), day);
    }
    visited = day;
  }
  return ok(r);
}

/** The close-of-business date of the next late-fee check: the first unchecked payment's due date + grace days. */
export function nextLateFeeOn(r: LeaseReplay): CalendarDate | null {
  const fee = r.terms.lateFee;
  if (!fee || r.status !== 'active') return null;
  const row = r.rows.find((x) => !x.lateFeeAssessed);
  return row ? addDays(row.dueDate, fee.graceDays) : null;
}

/**
 * Late fees at the close of business of `day`: every payment due `grace_days` or more before, not checked yet,
 * still owing rent, depreciation or tax is charged one fee (flat, or a percent of what it owes); each payment is
 * checked once.
 */
function chargeLateFees(r: LeaseReplay, day: CalendarDate): void {
  const fee = r.terms.lateFee;
  if (!fee) return;
  let total = 0;
  r.rows = r.rows.map((row) => {
    if (row.lateFeeAssessed || addDays(row.dueDate, fee.graceDays) > day) return row;
    const amount = lateFeeAmount(fee, owing(row), r.terms.rounding.mode);
    total += amount;
    return { ...row, lateFeeAssessed: true, due: { ...row.due, penalties: row.due.penalties + amount } };
  });
  post(r, day, 'charge', null, [
    ['penalties_receivable', total],
    ['penalty_income', -total],
  ]);
}

/** Days past due: since the oldest payment still owing rent, depreciation or tax (0 when none is overdue). */
export function daysPastDue(r: LeaseReplay, asOf: CalendarDate): number {
  const oldest = r.rows.find((row) => owing(row) > 0);
  return r.status === 'active' && oldest && oldest.dueDate < asOf ? daysBetween(oldest.dueDate, asOf) : 0;
}

/** Each reversal names an earlier payment, at most once. Returns reversed payment id → reversal date. */
function reversals(sorted: readonly StoredEvent[]): Result<Map<string, CalendarDate>, Failure> {
  const seen = new Map<string, StoredEvent>();
  const reversed = new Map<string, CalendarDate>();
  for (const e of sorted) {
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
