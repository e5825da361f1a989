import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { type Failure, ok, type Result } from '../../../../kernel/result.js';
import { lateFeeAmount } from '../../domain/common-terms.js';
import type { LeaseTerms } from '../../domain/lease/index.js';
import type { StoredEvent } from '../../product.js';
import { replayDays } from '../support.js';
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
  const r = newReplay(terms);
  const done = replayDays(events, asOf, options.closeOfBusiness, {
    serviced: () => r.status === 'active',
    workDays: () => {
      const fee = nextLateFeeOn(r);
      return fee ? [fee] : [];
    },
    startOfDay: (day) => accrue(r, day, addDays(day, -1)),
    apply: (e) => applyEvent(r, e),
    reversed: (e, on) => r.effects.set(e.id, { allocation: [], reversed_on: on }),
    endOfDay: (day) => {
      chargeLateFees(r, day);
      accrue(r, addDays(day, 1), day);
      return ok(undefined);
    },
  });
  return done.ok ? ok(r) : done;
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
