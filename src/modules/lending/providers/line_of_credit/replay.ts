import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { type Failure, ok, type Result } from '../../../../kernel/result.js';
import { assessLateFee, closeCycle, type LineState, type LineTerms } from '../../domain/revolving/index.js';
import type { StoredEvent } from '../../product.js';
import { replayDays } from '../support.js';
import { applyEvent } from './events.js';
import { interestThrough, priorYearSum } from './ledger.js';
import { type LineReturn, lateFeeWaits, lineReturns } from './returns.js';
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
  before = new Map<string, ReadonlySet<CalendarDate> | null>(),
): Result<LineReplay, Failure> {
  const newest = Math.max(0, ...events.map((e) => e.sequence));
  // Returned payments (returns.ts): the line as known before each, replayed once per replay.
  const returns = lineReturns(events, (through, day) => {
    const key = `${through}:${day}`;
    if (!before.has(key)) {
      const earlier = events.filter((e) => e.sequence <= through);
      const r = replayLine(terms, earlier, day, { closeOfBusiness: true }, before);
      before.set(key, r.ok ? r.value.lateFeesCharged : null);
    }
    return before.get(key) ?? null;
  });
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
    lateFeesCharged: new Set(),
  };
  const done = replayDays(events, asOf, options.closeOfBusiness, {
    serviced: () => isServiced(r),
    workDays: () => {
      const fee = lateFeeDay(r);
      return [r.line!.cycleEnd, ...(fee ? [fee] : []), ...returns.map((x) => x.from)];
    },
    startOfDay: (day) => accrue(r, addDays(day, -1)),
    apply: (e) => applyEvent(r, e, { strictLimit: e.sequence === newest }),
    reversed: (e, on) => r.effects.set(e.id, { reversed_on: on }),
    endOfDay: (day) => endOfDay(r as LineReplay & { line: LineState }, day, returns),
  });
  return done.ok ? ok(r) : done;
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

function endOfDay(
  r: LineReplay & { line: LineState },
  day: CalendarDate,
  returns: readonly LineReturn[],
): Result<void> {
  const last = r.line.lastStatement;
  if (lateFeeDay(r) !== null && last && !lateFeeWaits(returns, last.dueDate, day)) {
    const assessed = assessLateFee(r.terms, r.line, day);
    if (!assessed.ok) return assessed;
    if (assessed.value.fee > 0) r.lateFeesCharged.add(last.dueDate);
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
  const {
    statementDate: _,
    annualRate: __,
    dailyPeriodicRate: ___,
    averageDailyBalance: ____,
    ...figures
  } = s;
  r.statements.push({ number: r.statements.length + 1, ...figures, priorYearSum: yearSum });
  r.pastDue = s.pastDue;
  r.pastDueSince = s.pastDue > 0 ? pastDueSince : null;
  r.line = closed.value.state;
  r.status = r.line.status;
  r.accrued = 0;
  return ok(undefined);
}
