import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';
import { assessLateFee, closeCycle, type LineState, type LineTerms } from '../../domain/revolving/index.js';
import type { StoredEvent } from '../../product.js';
import { applyEvent } from './events.js';
import { interestThrough, priorYearSum } from './ledger.js';
import { isServiced, type LineReplay, oldestUnpaidDue, post } from './state.js';

/**
 * Replays a line's events as of `asOf`. Days are visited in order: the day's interest through the day before is
 * recognised, the day's events apply in sequence order, then (after `asOf`'s close of business, or for earlier
 * days) the close of business: the late fee of a minimum payment not received in time, the day's interest, and
 * on the cycle's closing day the statement. Only the days where something happens are visited; accrual is
 * cumulative, so that gives what close of business posts day by day. The SQL in cob.ts is the same algorithm.
 */
export function replayLine(
  terms: LineTerms,
  events: readonly StoredEvent[],
  asOf: CalendarDate,
  options: { closeOfBusiness: boolean },
): Result<LineReplay, Failure> {
  const sorted = [...events].sort((a, b) =>
    a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.sequence - b.sequence,
  );
  const reversed = checkEvents(sorted);
  if (!reversed.ok) return reversed;
  const newest = Math.max(0, ...events.map((e) => e.sequence));
  const r: LineReplay = {
    terms,
    status: 'application',
    line: null,
    accrued: 0,
    accruedThrough: null,
    statements: [],
    pastDue: 0,
    pastDueSince: null,
    journal: [],
    effects: new Map(),
    writtenOff: 0,
    recovered: 0,
  };
  let next = 0;
  let visited: CalendarDate | null = null;
  while (visited === null || visited < asOf) {
    const candidates: CalendarDate[] = [asOf];
    const ev = sorted[next];
    if (ev && ev.effectiveDate <= asOf) candidates.push(ev.effectiveDate);
    if (isServiced(r)) {
      candidates.push(r.line.cycleEnd);
      const fee = lateFeeDay(r);
      if (fee) candidates.push(fee);
    }
    const day = candidates.filter((c) => visited === null || c > visited).sort()[0]!;
    if (isServiced(r)) accrue(r, addDays(day, -1));
    for (; sorted[next]?.effectiveDate === day; next++) {
      const e = sorted[next]!;
      const reversedOn = reversed.value.get(e.id);
      if (reversedOn !== undefined) {
        // Never applied: the history is restated as if it had not been received.
        r.effects.set(e.id, { reversed_on: reversedOn });
        continue;
      }
      if (e.type === 'payment_reversal') continue; // its effect is the restated history before it
      const applied = applyEvent(r, e, { strictLimit: e.sequence === newest });
      if (!applied.ok) return applied;
    }
    if ((options.closeOfBusiness || day < asOf) && isServiced(r)) {
      const closed = endOfDay(r, day);
      if (!closed.ok) return closed;
    }
    visited = day;
  }
  return ok(r);
}

/** The first day a late fee may be due on the last statement: the day after its due date and grace days. */
function lateFeeDay(r: LineReplay): CalendarDate | null {
  const last = r.line?.lastStatement;
  if (!r.terms.lateFee || !last || last.lateFeeAssessed || last.minimumPayment === 0) return null;
  return addDays(last.dueDate, r.terms.lateFee.graceDays + 1);
}

/** Recognises the open cycle's interest through `through`, posting the difference from what was recognised. */
export function accrue(r: LineReplay, through: CalendarDate): void {
  const line = r.line!;
  if (r.accruedThrough !== null && through <= r.accruedThrough) return;
  const target = interestThrough(r.terms, line, through);
  const change = target - r.accrued;
  post(r, through, 'accrual', null, [
    ['interest_receivable', change],
    ['interest_income', -change],
  ]);
  r.accrued = target;
  r.accruedThrough = through;
}

function endOfDay(r: LineReplay & { line: LineState }, day: CalendarDate): Result<void> {
  if (lateFeeDay(r) !== null) {
    const assessed = assessLateFee(r.terms, r.line, day);
    if (!assessed.ok) return assessed;
    r.line = assessed.value.state;
    post(r, day, 'charge', null, [
      ['fees_receivable', assessed.value.fee],
      ['fee_income', -assessed.value.fee],
    ]);
  }
  accrue(r, day);
  if (day !== r.line.cycleEnd) return ok(undefined);
  const pastDueSince = oldestUnpaidDue(r);
  const yearSum = priorYearSum(r.line, day);
  const closed = closeCycle(r.terms, r.line, day);
  if (!closed.ok) return closed;
  const s = closed.value.statement;
  if (s.interest !== r.accrued)
    throw new Error(`line interest ${s.interest} differs from the recognised ${r.accrued} on ${day}`);
  r.statements.push({
    number: r.statements.length + 1,
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    dueDate: s.dueDate,
    daysInCycle: s.daysInCycle,
    openingBalance: s.openingBalance,
    draws: s.draws,
    payments: s.payments,
    interest: s.interest,
    fees: s.fees,
    closingBalance: s.closingBalance,
    closingPrincipal: s.closingPrincipal,
    pastDue: s.pastDue,
    minimumPayment: s.minimumPayment,
    creditLimit: s.creditLimit,
    availableCredit: s.availableCredit,
    sumOfDailyBalances: s.sumOfDailyBalances,
    priorYearSum: yearSum,
  });
  r.pastDue = s.pastDue;
  r.pastDueSince = s.pastDue > 0 ? pastDueSince : null;
  r.line = closed.value.state;
  r.status = r.line.status;
  r.accrued = 0;
  return ok(undefined);
}

/** Unique ids and sequences; a reversal names an earlier payment, at most once. Returns reversed id → date. */
function checkEvents(sorted: readonly StoredEvent[]): Result<Map<string, CalendarDate>, Failure> {
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
