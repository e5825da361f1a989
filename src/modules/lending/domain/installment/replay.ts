import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { type Failure, ok, type Result } from '../../../../kernel/result.js';
import { applyOn, checkEvents } from './apply.js';
import { accrue, endOfDay, refreshStatus } from './days.js';
import { daysPastDue, delinquencyBucket } from './delinquency.js';
import { compareEvents, type LoanEvent, type LoanStatus } from './events.js';
import { type Amounts, type Installment, totalOutstanding, zeroAmounts } from './installments.js';
import type { InterestBasis } from './interest.js';
import { type Account, emptyBalances, type JournalEntry } from './ledger.js';
import { servicingBasis } from './rate-changes.js';
import { withPeriodFactors } from './recalculation-progressive.js';
import { deferrals, type KnownLoan, noDeferrals, returnDates } from './returns.js';
import { snapshotSchedule } from './schedule.js';
import { type Ctx, isServicing, type PaymentRecord } from './servicing.js';
import type { LoanTerms } from './terms.js';

export interface LoanState {
  terms: LoanTerms;
  /** The interest basis in force at asOf (its rate, and a daily loan's rates by date when they changed). */
  basis: InterestBasis;
  asOf: CalendarDate;
  status: LoanStatus;
  installments: Installment[];
  /** Everything still owed by component, including principal not yet due. */
  outstanding: Amounts;
  /** Owed on installments due on or before asOf. */
  dueNow: Amounts;
  interestAccrued: Minor;
  creditBalance: Minor;
  chargedOff: Amounts;
  recovered: Minor;
  daysPastDue: number;
  delinquencyBucket: string;
  payments: PaymentRecord[];
  journal: JournalEntry[];
  /** Each installment's late-fee check so far: the fee charged, 0 for none. */
  lateFeeChecks: ReadonlyMap<number, Minor>;
  /** Account balances derived from the state itself (debits positive); they equal journalBalances(journal). */
  balances: Record<Account, Minor>;
}

/**
 * Rebuilds a loan from its events as of the close of business of `asOf`. Only events effective on or before
 * `asOf` count. Day by day (only the days where something happens are visited): interest accrues for the days
 * before the day, the day's events apply in sequence order, then the close of business charges late fees and
 * charges off after N days past due; finally the days through asOf accrue. The same events always give the same
 * state, so a backdated event or a reversal is handled by replaying.
 *
 * A reversed payment (named by any payment_reversal among the events) is never applied: the whole history is
 * restated as if it had not been received, so later payments pay what it would have paid and late fees it avoided
 * are charged. The result is the restated history, whose journal agrees with its state on every date. The store's
 * journal is append-only: when it records a reversal or a backdated event it posts the difference between the
 * replay known before it (knownThrough) and the new one as one entry dated that day (ledger.ts restatementEntry).
 */
export interface ReplayOptions {
  /** Only events recorded up to this sequence: the loan as it was known then (to diff a change against). */
  knownThrough?: number;
  /**
   * true (default): the state after the close of business of asOf (late fees charged, asOf's interest accrued).
   * false: the state during asOf, after its events: what a payment made that day meets, so the one to quote a
   * payoff on asOf from.
   */
  closeOfBusiness?: boolean;
}

export function replay(
  terms: LoanTerms,
  events: readonly LoanEvent[],
  asOf: CalendarDate,
  options: ReplayOptions = {},
): Result<LoanState, Failure> {
  return replayOnce(terms, events, asOf, options, new Map());
}

/** `before`: the loans as known before each return (returns.ts), replayed once per replay. */
function replayOnce(
  terms: LoanTerms,
  events: readonly LoanEvent[],
  asOf: CalendarDate,
  options: ReplayOptions,
  before: Map<string, KnownLoan | null>,
): Result<LoanState, Failure> {
  const closeOfBusiness = options.closeOfBusiness ?? true;
  const days = replayDays(terms, events, asOf, options, before);
  return days.ok ? ok(finish(days.value.ctx, asOf, closeOfBusiness)) : days;
}

/**
 * Where the day-by-day loop of a replay stopped: its working state after asOf's events, before the last accrual.
 * `replayDays` and `finish` are the replay's steps, exported for its continuation (replay-during.ts), which applies
 * events through the same `applyOn` (apply.ts).
 */
export interface Days {
  ctx: Ctx;
  /** Whether asOf was one of the loop's working days (it accrued at its start). */
  visited: boolean;
  /** The greatest sequence among the events: a later event with a greater one sorts after all of asOf's. */
  lastSequence: number;
  ids: ReadonlySet<string>;
}

export function replayDays(
  terms: LoanTerms,
  events: readonly LoanEvent[],
  asOf: CalendarDate,
  options: ReplayOptions,
  before: Map<string, KnownLoan | null>,
): Result<Days, Failure> {
  const closeOfBusiness = options.closeOfBusiness ?? true;
  const known = events.filter(
    (e) => options.knownThrough === undefined || e.sequence <= options.knownThrough,
  );
  const sorted = [...known].sort(compareEvents);
  const checked = checkEvents(sorted);
  if (!checked.ok) return checked;
  const reversed = checked.value;
  const inScope = sorted.filter((e) => e.effectiveDate <= asOf);

  const ctx: Ctx = {
    terms,
    basis: withPeriodFactors(terms, servicingBasis(terms)),
    status: 'application',
    installments: [],
    creditBalance: 0,
    chargedOff: zeroAmounts(),
    recovered: 0,
    cash: 0,
    feesAtDisbursement: 0,
    journal: [],
    payments: [],
    lateFeeChecks: new Map(),
    deferred: noDeferrals(),
    disbursed: [],
  };
  ctx.deferred = deferrals(sorted, (through, day) => {
    const key = `${through}:${day}`;
    if (!before.has(key)) {
      const r = replayOnce(terms, events, day, { knownThrough: through }, before);
      before.set(
        key,
        r.ok ? { lateFeeChecks: r.value.lateFeeChecks, chargedOff: r.value.status === 'charged_off' } : null,
      );
    }
    return before.get(key) ?? null;
  });

  // Reversals and reversed payments change nothing on their dates: such a day only checks the reversal's
  // transition, and posts no accrual entry, so the journal equals that of a history without the payment.
  const days = new Set(
    inScope.filter((e) => e.type !== 'payment_reversal' && !reversed.has(e.id)).map((e) => e.effectiveDate),
  );
  for (const row of snapshotSchedule(terms).rows) {
    days.add(row.dueDate);
    if (terms.lateFee) days.add(addDays(row.dueDate, terms.lateFee.graceDays));
    if (terms.delinquency.chargeOffAfterDays !== null)
      days.add(addDays(row.dueDate, terms.delinquency.chargeOffAfterDays));
  }
  for (const day of returnDates(inScope)) days.add(day);
  const quietDays = new Set(inScope.map((e) => e.effectiveDate).filter((day) => !days.has(day)));
  const byDate = new Map<CalendarDate, LoanEvent[]>();
  for (const e of inScope) byDate.set(e.effectiveDate, [...(byDate.get(e.effectiveDate) ?? []), e]);

  for (const day of [...days, ...quietDays].filter((d) => d <= asOf).sort()) {
    const quiet = quietDays.has(day);
    if (isServicing(ctx.status) && !quiet) accrue(ctx, day, addDays(day, -1));
    for (const ev of byDate.get(day) ?? []) {
      const reversedOn = reversed.get(ev.id);
      if (reversedOn !== undefined) {
        // Never applied: the history is restated as if it had not been received.
        if (ev.type === 'payment' || ev.type === 'payoff')
          ctx.payments.push({
            ...unapplied(ev),
            amount: ev.amount,
            payoff: ev.type === 'payoff',
            reversedOn,
          });
        continue;
      }
      const applied = applyOn(ctx, ev, day);
      if (!applied.ok) return applied;
    }
    if (!quiet && (closeOfBusiness || day < asOf)) endOfDay(ctx, day);
  }
  let lastSequence = 0;
  for (const e of sorted) lastSequence = Math.max(lastSequence, e.sequence);
  return ok({ ctx, visited: days.has(asOf), lastSequence, ids: new Set(sorted.map((e) => e.id)) });
}

const unapplied = (ev: LoanEvent) => ({ eventId: ev.id, date: ev.effectiveDate, lines: [], credit: 0 });

/** The end of a replay: asOf accrued (through its close of business, or to its start during the day). */
export function finish(ctx: Ctx, asOf: CalendarDate, closeOfBusiness: boolean): LoanState {
  if (isServicing(ctx.status)) {
    if (closeOfBusiness) accrue(ctx, addDays(asOf, 1), asOf);
    else accrue(ctx, asOf, addDays(asOf, -1));
  }
  refreshStatus(ctx, asOf);
  return snapshot(ctx, asOf);
}

function snapshot(ctx: Ctx, asOf: CalendarDate): LoanState {
  const rows = ctx.installments;
  const outstanding = totalOutstanding(rows);
  let accrued = 0;
  let interestPaid = 0;
  let interestWaived = 0;
  let feesCharged = 0;
  let penaltiesCharged = 0;
  let waivedFees = 0;
  let waivedPenalties = 0;
  for (const r of rows) {
    accrued += r.accrued;
    interestPaid += r.paid.interest;
    interestWaived += r.waived.interest;
    feesCharged += r.due.fees;
    penaltiesCharged += r.due.penalties;
    waivedFees += r.waived.fees;
    waivedPenalties += r.waived.penalties;
  }
  const co = ctx.chargedOff;
  const balances = emptyBalances();
  balances.cash = ctx.cash;
  balances.loans_receivable = outstanding.principal - co.principal;
  balances.interest_receivable = accrued - interestPaid - interestWaived - co.interest;
  balances.fees_receivable = outstanding.fees - co.fees;
  balances.penalties_receivable = outstanding.penalties - co.penalties;
  // Income and liabilities are credit balances (written 0 − x so that nothing is −0).
  balances.interest_income = 0 - (accrued - interestWaived);
  balances.fee_income = 0 - (feesCharged - waivedFees + ctx.feesAtDisbursement);
  balances.penalty_income = 0 - (penaltiesCharged - waivedPenalties);
  balances.overpayment_liability = 0 - ctx.creditBalance;
  balances.charge_off_expense = co.principal + co.interest + co.fees + co.penalties;
  balances.recoveries = 0 - ctx.recovered;
  const dpd = isServicing(ctx.status) ? daysPastDue(rows, asOf) : 0;
  return {
    terms: ctx.terms,
    basis: ctx.basis,
    asOf,
    status: ctx.status,
    installments: rows,
    outstanding,
    dueNow: totalOutstanding(rows, (r) => r.dueDate <= asOf),
    interestAccrued: accrued,
    creditBalance: ctx.creditBalance,
    chargedOff: co,
    recovered: ctx.recovered,
    daysPastDue: dpd,
    delinquencyBucket: delinquencyBucket(dpd, ctx.terms.delinquency.buckets),
    payments: ctx.payments,
    journal: ctx.journal,
    lateFeeChecks: ctx.lateFeeChecks,
    balances,
  };
}
