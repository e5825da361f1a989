import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { amortize } from './amortize.js';
import type { LoanEvent } from './events.js';
import { type Installment, outstandingOf } from './installments.js';
import type { InterestBasis } from './interest.js';
import { principalOutstanding, projectPeriod, recalculate, recalculationOf } from './recalculation.js';
import type { RescheduleStrategy } from './recalculation-terms.js';
import { type Move, moveLines } from './reschedule-lines.js';
import { snapshotSchedule } from './schedule.js';
import type { Ctx } from './servicing.js';

/**
 * The reschedule strategies of a recalculating loan (Fineract `rescheduleStrategyMethod`,
 * LoanRescheduleStrategyMethod): what a change of the principal balance on `date` (a payment, a waiver) does to
 * the installments not yet due ("open" rows). Run by the replay after each such event, in place of
 * `recalculate` alone; the rows it writes are stored, and the close of business changes only interest between
 * events (see "Interest recalculation" in the README).
 *
 * 1. Settle: an open installment whose principal is paid in full is settled with the interest paid on it (the
 *    interest earned to the payment: allocation.ts never pays interest ahead of its accrual), its principal the
 *    installment less that interest, the principal taken from what was prepaid on later installments
 *    (ProgressiveEMICalculatorTest.test_payoff_on0115: 17.01 paid on 01-15 is 16.75 principal + 0.26 interest, and
 *    the four installments prepaid in full hold 17.01 principal each). The interest its period still earns after
 *    the payment is not lost: it is deferred to a later installment (below), so the loan is not delinquent for the
 *    cents the period earns after an installment was paid early.
 * 2. Split the installments not settled, by strategy (AbstractCumulativeLoanScheduleGenerator
 *    .applyEarlyPaymentStrategy / fetchEarlyPaidAmount; ProgressiveEMICalculator
 *    .calculateLastUnpaidRepaymentPeriodEMI); the last open one takes the remaining principal:
 *    - adjust_last_unpaid_period: each keeps its scheduled installment (principal = installment − its interest on
 *      the balance as it now stands), the last takes the difference (Fineract's progressive default);
 *    - reduce_number_of_installments: the same split, with the principal prepaid on installments not started
 *      recorded on the last one instead, so the earlier ones owe their whole installment and the balance runs out
 *      early (REDUCE_NUMBER_OF_INSTALLMENTS: "emi amount won't get effected");
 *    - reduce_emi: a payment that prepays principal re-amortizes the installments not started over their dates
 *      from the balance left (REDUCE_EMI_AMOUNT: adjustInstallmentOrPrincipalAmount → a new fixed EMI);
 *    - reschedule_next_repayments: each keeps its scheduled principal, so the prepaid principal makes the next
 *      installments owe less (RESCHEDULE_NEXT_REPAYMENTS: "reduce principal ... for each installment until this
 *      amount becomes zero").
 * 3. Defer: the interest that settled installments' periods earn beyond what they owe (their interest_accrual −
 *    interest_due) is due with the next installment not settled (the target; …add_balance_correction_on0215:
 *    0.39 + 0.20 on the next period), which, when it keeps its installment, repays that much less principal.
 *    Once those periods have ended it stays with the running installment unless that is settled, and a payment
 *    in advance pays it there (allocation.ts). Σ interest_due = Σ interest_accrual stays true, so accrual, payoff (settleForPayoff moves deferred interest
 *    of ended periods to the current one) and the journal are unchanged; the close of business re-projects a
 *    period as it starts keeping its row's offset.
 *
 * Loans stored before the option existed (no `reschedule`) only recalculate: each installment keeps its
 * scheduled principal, as they were serviced.
 */
export function rescheduleAfter(ctx: Ctx, ev: LoanEvent, date: CalendarDate): void {
  const rows = ctx.installments;
  const strategy = recalculationOf(ctx.terms)?.reschedule;
  const current = rows.map((r) => r.due.principal + r.due.interest);
  recalculate(ctx.basis, rows, date, recalculationOf(ctx.terms));
  if (!strategy) return;
  // The installment a row keeps: the scheduled one (Fineract keeps each period's EMI), not one raised by interest
  // on overdue principal; reduce_emi keeps the one it re-amortized.
  const scheduled = snapshotSchedule(ctx.terms).rows;
  const installment = strategy === 'reduce_emi' ? current : scheduled.map((r) => r.principal + r.interest);
  const first = rows.findIndex((r) => r.dueDate > date);
  if (first < 0) return;
  const moves: Move[] = [];
  const settled = settle(rows, first, installment, moves);
  const record = ctx.payments.at(-1);
  const prepaid =
    record?.eventId === ev.id &&
    record.lines.some((l) => l.bucket === 'advance' && l.component === 'principal');
  const atEnd = strategy === 'reduce_number_of_installments' ? unpay(rows, date, settled, moves) : 0;
  moveLines(ctx, moves);
  const t = target(rows, first, settled);
  // Interest deferred from ended periods, earned in full, stays with the running installment unless it is settled.
  const t0 = settled[first] ? t : first;
  const plan: Plan = {
    strategy,
    installment,
    principal: scheduled.map((r) => r.principal),
    settled,
    prepaid,
    moved: new Map(),
  };
  plan.emi = strategy === 'reduce_emi' && prepaid ? reamortized(ctx, rows, date, settled) : undefined;
  split(ctx.basis, rows, date, first, plan);
  // An installment that keeps its amount pays the interest moved onto it from it: a second pass with it.
  if (strategy === 'adjust_last_unpaid_period' || strategy === 'reduce_number_of_installments') {
    plan.moved = deferrals(rows, first, t, t0);
    split(ctx.basis, rows, date, first, plan);
  }
  const last = rows[rows.length - 1]!;
  last.due.principal += atEnd;
  last.paid.principal += atEnd;
  for (const [k, extra] of deferrals(rows, first, t, t0))
    rows[k]!.due.interest = rows[k]!.interestAccrual + extra;
}

/** Step 1: which open rows are settled (principal paid in full and holding the whole installment). */
function settle(rows: Installment[], first: number, installment: readonly Minor[], moves: Move[]): boolean[] {
  const settled = rows.map(() => false);
  for (let j = first; j < rows.length; j++) {
    const r = rows[j]!;
    if (r.due.principal === 0 || outstandingOf(r, 'principal') > 0) continue;
    const interest = r.paid.interest + r.waived.interest;
    const need = installment[j]! - interest - r.due.principal;
    const pulled = need > 0 ? pull(rows, j, need, moves) : 0;
    r.due.principal += pulled;
    r.paid.principal += pulled;
    settled[j] = pulled >= need;
  }
  return settled;
}

/**
 * Moves up to `amount` of principal prepaid on the rows after `j` (nearest first), due and paid alike, so no
 * row's outstanding principal changes here; the split then sets what each owes.
 */
function pull(rows: Installment[], j: number, amount: Minor, moves: Move[]): Minor {
  let taken = 0;
  for (let i = j + 1; i < rows.length && taken < amount; i++) {
    const r = rows[i]!;
    const take = Math.min(amount - taken, r.paid.principal);
    r.paid.principal -= take;
    r.due.principal -= take;
    taken += take;
    if (take > 0) moves.push({ from: r.number, to: rows[j]!.number, amount: take });
  }
  return taken;
}

/**
 * reduce_number_of_installments: the principal prepaid on installments not started and not settled, taken off
 * them (due and paid alike) to be recorded on the last installment, so each earlier one owes its whole amount
 * and the balance runs out before the last ones (the loan ends early).
 */
function unpay(rows: Installment[], date: CalendarDate, settled: readonly boolean[], moves: Move[]): Minor {
  let total = 0;
  const last = rows[rows.length - 1]!.number;
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    if (r.periodStart <= date || settled[j]) continue;
    total += r.paid.principal;
    if (r.paid.principal > 0 && r.number !== last)
      moves.push({ from: r.number, to: last, amount: r.paid.principal });
    r.due.principal -= r.paid.principal;
    r.paid.principal = 0;
  }
  return total;
}

interface Plan {
  strategy: RescheduleStrategy;
  installment: readonly Minor[];
  /** The scheduled principal by row (reschedule_next_repayments keeps it). */
  principal: readonly Minor[];
  settled: readonly boolean[];
  prepaid: boolean;
  /** The rows the interest of settled rows is deferred to, and how much (reduces their principal when kept). */
  moved: Map<number, Minor>;
  /** reduce_emi after a prepayment: the re-amortized principal by row. */
  emi?: Map<number, Minor> | undefined;
}

/**
 * Step 2: principal of the open rows not settled, and every open row's interest as `recalculate` projects it (the
 * running row: earned to `date` plus P to its due date; a later row: on the principal scheduled to remain at its
 * start), in order, since each split changes what remains for the next.
 */
function split(b: InterestBasis, rows: Installment[], date: CalendarDate, first: number, plan: Plan): void {
  let remaining = principalOutstanding(rows);
  for (let j = 0; j < first; j++) remaining -= outstandingOf(rows[j]!, 'principal');
  let last = -1;
  for (let j = first; j < rows.length; j++) if (!plan.settled[j]) last = j;
  for (let j = first; j < rows.length; j++) {
    const r = rows[j]!;
    const interest = r.periodStart <= date ? r.interestAccrual : projectPeriod(b, r, Math.max(0, remaining));
    if (plan.settled[j]) {
      r.due.interest = r.paid.interest + r.waived.interest;
      continue;
    }
    r.due.interest = interest;
    const held = r.paid.principal + r.waived.principal;
    let principal: Minor;
    if (j === last) principal = remaining;
    else if (plan.emi?.has(j)) principal = plan.emi.get(j)!;
    else if (plan.strategy === 'reschedule_next_repayments') principal = plan.principal[j]! - held;
    else if (plan.strategy === 'reduce_emi') principal = r.due.principal - held;
    else principal = plan.installment[j]! - interest - (plan.moved.get(j) ?? 0) - held;
    principal = Math.max(0, Math.min(remaining, principal));
    r.due.principal = held + principal;
    remaining -= principal;
  }
}

/**
 * reduce_emi: the open rows not settled and not started, re-amortized over their dates from the principal that
 * remains at the first of them (amortize.ts, as future_installments reamortize does). Returns row → principal.
 */
function reamortized(
  ctx: Ctx,
  rows: Installment[],
  date: CalendarDate,
  settled: readonly boolean[],
): Map<number, Minor> {
  const tail: number[] = [];
  for (let j = 0; j < rows.length; j++) if (rows[j]!.periodStart > date && !settled[j]) tail.push(j);
  const principal = new Map<number, Minor>();
  if (tail.length === 0) return principal;
  let opening = 0;
  for (const j of tail) opening += outstandingOf(rows[j]!, 'principal');
  const regenerated = amortize(ctx.terms, ctx.basis, {
    opening,
    periods: tail.map((j) => ({ start: rows[j]!.periodStart, due: rows[j]!.dueDate })),
    firstNumber: rows[tail[0]!]!.number,
    oddFirstPeriod: false,
    principalGrace: Math.max(0, ctx.terms.grace.principalPeriods - tail[0]!),
    interestGrace: 0,
    interestFreeGrace: 0,
    deferredInterest: 0,
  });
  regenerated.forEach((r, k) => {
    principal.set(tail[k]!, r.principal);
  });
  return principal;
}

/**
 * Step 3's target: the next installment not settled after the first settled one (Fineract moves the interest a
 * paid period earns after its payment to the next unpaid period: ProgressiveEMICalculatorTest
 * …add_balance_correction_on0215, 0.39 + 0.20 on the third period); else the last not settled; else the last.
 */
function target(rows: readonly Installment[], first: number, settled: readonly boolean[]): number {
  const from = settled.indexOf(true, first);
  if (from >= 0) {
    const next = settled.indexOf(false, from);
    if (next >= 0) return next;
  }
  for (let j = rows.length - 1; j >= first; j--) if (!settled[j]) return j;
  return rows.length - 1;
}

/**
 * Step 3: what the target rows owe beyond their own interest. The interest ended periods earned beyond what they
 * owe (an installment settled before its due date) goes to `t0`, the running installment when it is not settled,
 * so a payment in advance can pay it there (allocation.ts; Fineract's payable interest of a started period
 * includes it); the rest, what open periods earn beyond what they owe, to `t`. Σ interest_due = Σ
 * interest_accrual over the loan either way.
 */
function deferrals(rows: readonly Installment[], first: number, t: number, t0: number): Map<number, Minor> {
  const ended = endedDeferral(rows, first);
  let open = 0;
  for (let j = first; j < rows.length; j++)
    if (j !== t && j !== t0) open += rows[j]!.interestAccrual - rows[j]!.due.interest;
  return t0 === t
    ? new Map([[t, ended + open]])
    : new Map([
        [t0, ended],
        [t, open],
      ]);
}

/** What the rows before `first` (ended) earned beyond what they owe: interest deferred, already earned. */
export function endedDeferral(rows: readonly Installment[], first: number): Minor {
  let ended = 0;
  for (let j = 0; j < first; j++) ended += rows[j]!.interestAccrual - rows[j]!.due.interest;
  return ended;
}
