import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, ok, type Result } from '../../../../kernel/result.js';
import { type AllocationLine, allocatePayment } from './allocation.js';
import { invalidEvent, type LoanEvent, type LoanStatus } from './events.js';
import {
  type Amounts,
  type Installment,
  installmentsFromSchedule,
  outstandingOf,
  sumAmounts,
  totalOutstanding,
} from './installments.js';
import type { InterestBasis } from './interest.js';
import {
  INCOME,
  type JournalEntry,
  type JournalKind,
  journalEntry,
  type Movement,
  RECEIVABLE,
} from './ledger.js';
import { settleForPayoff } from './payoff.js';
import type { Deferrals } from './returns.js';
import { generateSchedule, snapshotSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';
import { firstDisbursement, type Tranche } from './tranches.js';

/** The mutable working state of one replay. Handlers change it in place; replay.ts orders the calls. */
export interface Ctx {
  terms: LoanTerms;
  basis: InterestBasis;
  status: LoanStatus;
  installments: Installment[];
  creditBalance: Minor;
  chargedOff: Amounts;
  recovered: Minor;
  /** Net cash moved: payments and recoveries in, disbursement and refunds out. */
  cash: Minor;
  /** Fees paid from the proceeds at disbursement (charges.ts): income on no installment. */
  feesAtDisbursement: Minor;
  journal: JournalEntry[];
  payments: PaymentRecord[];
  /** Each installment's late-fee check as it ran: the fee charged (0: checked, none due). */
  lateFeeChecks: Map<number, Minor>;
  /** What returned payments put off until the business date they were processed on (returns.ts). */
  deferred: Deferrals;
  /** The tranches disbursed so far (tranches.ts), the first included; empty before the disbursement. */
  disbursed: Tranche[];
}

export interface PaymentRecord {
  eventId: string;
  date: CalendarDate;
  amount: Minor;
  payoff: boolean;
  lines: AllocationLine[];
  credit: Minor;
  reversedOn: CalendarDate | null;
}

export const isServicing = (s: LoanStatus): boolean => s === 'active' || s === 'delinquent';

export function post(
  ctx: Ctx,
  date: CalendarDate,
  kind: JournalKind,
  eventId: string | null,
  moves: Movement[],
): void {
  const e = journalEntry(date, kind, eventId, moves);
  if (e) ctx.journal.push(e);
}

export function disburse(ctx: Ctx, ev: LoanEvent): Result<void, Failure> {
  if (ev.effectiveDate !== ctx.terms.disbursementDate)
    return err(
      invalidEvent(
        ev,
        'disbursement_date_mismatch',
        'disburse on the terms’ disbursement date or resolve new terms',
        {
          disbursement_date: ctx.terms.disbursementDate,
        },
      ),
    );
  // A loan in tranches starts with its first; each later one re-amortizes as it is disbursed (disburse_tranche).
  const amount = firstDisbursement(ctx.terms);
  ctx.disbursed = [{ date: ev.effectiveDate, amount }];
  // The terms' own schedule is the one every reader of these terms shares (replay.ts visits its dates too).
  const schedule = ctx.terms.multiDisbursement
    ? generateSchedule({ ...ctx.terms, tranches: ctx.disbursed })
    : snapshotSchedule(ctx.terms);
  ctx.installments = installmentsFromSchedule(schedule.rows);
  // Fees due at disbursement are paid from the proceeds (Fineract's repayment at disbursement): the borrower
  // receives the amount financed less them.
  const atDisbursement = schedule.totals.feesAtDisbursement;
  ctx.feesAtDisbursement = atDisbursement;
  ctx.cash -= amount - atDisbursement;
  post(ctx, ev.effectiveDate, 'disbursement', ev.id, [
    ['loans_receivable', amount],
    ['cash', -(amount - atDisbursement)],
    ['fee_income', -atDisbursement],
  ]);
  // The installments' scheduled fees are the contract's: receivable from disbursement (upfront, as Fineract's
  // upfront accrual recognises them).
  const scheduled = schedule.totals.fees - atDisbursement;
  post(ctx, ev.effectiveDate, 'charge', ev.id, [
    ['fees_receivable', scheduled],
    ['fee_income', -scheduled],
  ]);
  return ok(undefined);
}

/** Applies `amount` through the waterfall and posts it. `source` is cash or the credit balance. */
export function applyPayment(
  ctx: Ctx,
  ev: LoanEvent,
  amount: Minor,
  terms: LoanTerms,
  source: 'cash' | 'credit' = 'cash',
): void {
  const a = allocatePayment(ctx.installments, { amount, date: ev.effectiveDate }, terms);
  ctx.installments = a.installments;
  const moves: Movement[] = a.lines.map((l) => [RECEIVABLE[l.component], -l.amount] as const);
  if (source === 'cash') {
    ctx.cash += amount;
    ctx.creditBalance += a.credit;
    moves.push(['cash', amount], ['overpayment_liability', -a.credit]);
  } else {
    ctx.creditBalance -= amount - a.credit;
    moves.push(['overpayment_liability', amount - a.credit]);
  }
  post(ctx, ev.effectiveDate, 'payment', ev.id, moves);
  if (source === 'cash')
    ctx.payments.push({
      eventId: ev.id,
      date: ev.effectiveDate,
      amount,
      payoff: ev.type === 'payoff',
      lines: a.lines,
      credit: a.credit,
      reversedOn: null,
    });
}

export function payoff(ctx: Ctx, ev: LoanEvent, amount: Minor): Result<void, Failure> {
  const date = ev.effectiveDate;
  const s = settleForPayoff(ctx.installments, date, ctx.terms, ctx.basis);
  ctx.installments = s.installments;
  const moved = s.reclassifiedToPrincipal + s.reclassifiedToCredit;
  ctx.creditBalance += s.reclassifiedToCredit;
  post(ctx, date, 'reclassification', ev.id, [
    ['interest_receivable', moved - s.reclassifiedFees],
    ['fees_receivable', s.reclassifiedFees],
    ['loans_receivable', -s.reclassifiedToPrincipal],
    ['overpayment_liability', -s.reclassifiedToCredit],
  ]);
  post(ctx, date, 'charge', ev.id, [
    ['penalties_receivable', s.prepaymentPenalty],
    ['penalty_income', -s.prepaymentPenalty],
  ]);
  post(ctx, date, 'waiver', ev.id, [
    ['fee_income', s.unearnedFees],
    ['fees_receivable', -s.unearnedFees],
  ]);
  // After settleForPayoff every interest still owed is earned, the deferred interest of a settled installment
  // (reschedule.ts) included: paid in full, not only as far as its own row accrued (allocation.ts).
  const allInOrder = {
    ...ctx.terms,
    futureInstallments: 'next_installment' as const,
    options: { ...ctx.terms.options, interestRecalculation: null },
  };
  const owed = sumAmounts(totalOutstanding(ctx.installments));
  const fromCredit = Math.min(ctx.creditBalance, owed);
  if (fromCredit > 0) applyPayment(ctx, ev, fromCredit, allInOrder, 'credit');
  if (amount < owed - fromCredit)
    return err(
      invalidEvent(ev, 'insufficient_payoff_amount', `the payoff on ${date} is ${owed - fromCredit}`, {
        required: owed - fromCredit,
      }),
    );
  applyPayment(ctx, ev, amount, allInOrder);
  return ok(undefined);
}

/** Adds a fee or penalty to an installment (by default the first one due on or after the date). */
export function charge(
  ctx: Ctx,
  date: CalendarDate,
  component: 'fees' | 'penalties',
  amount: Minor,
  row: Installment,
  eventId: string | null,
): void {
  row.due[component] += amount;
  post(ctx, date, 'charge', eventId, [
    [RECEIVABLE[component], amount],
    [INCOME[component], -amount],
  ]);
}

export function targetInstallment(ctx: Ctx, date: CalendarDate, number?: number): Installment | undefined {
  const rows = ctx.installments;
  if (number !== undefined) return rows.find((r) => r.number === number);
  return rows.find((r) => r.dueDate >= date) ?? rows[rows.length - 1];
}

export function waive(ctx: Ctx, ev: Extract<LoanEvent, { type: 'waive' }>): Result<void, Failure> {
  const c = ev.component;
  const date = ev.effectiveDate;
  const rows = ctx.installments.filter(
    (r) =>
      (ev.installment === undefined || r.number === ev.installment) &&
      (c !== 'interest' || r.dueDate <= date),
  );
  const available = rows.reduce((s, r) => s + outstandingOf(r, c), 0);
  const amount = ev.amount ?? available;
  if (!positive(amount) || amount > available)
    return err(invalidEvent(ev, 'invalid_waiver', `${c} waivable on ${date}: ${available}`, { available }));
  let rest = amount;
  for (const r of rows) {
    const take = Math.min(rest, outstandingOf(r, c));
    r.waived[c] += take;
    rest -= take;
  }
  post(ctx, date, 'waiver', ev.id, [
    [INCOME[c], amount],
    [RECEIVABLE[c], -amount],
  ]);
  return ok(undefined);
}

/** Writes off every receivable (interest as recognised, not as scheduled) and stops accrual. */
export function chargeOff(ctx: Ctx, date: CalendarDate, eventId: string | null): void {
  const o = totalOutstanding(ctx.installments);
  let interest = 0;
  for (const r of ctx.installments) interest += r.accrued - r.paid.interest - r.waived.interest;
  const written: Amounts = { principal: o.principal, interest, fees: o.fees, penalties: o.penalties };
  ctx.chargedOff = written;
  ctx.status = 'charged_off';
  post(ctx, date, 'charge_off', eventId, [
    ['charge_off_expense', sumAmounts(written)],
    ['loans_receivable', -written.principal],
    ['interest_receivable', -written.interest],
    ['fees_receivable', -written.fees],
    ['penalties_receivable', -written.penalties],
  ]);
}

export function recover(ctx: Ctx, ev: Extract<LoanEvent, { type: 'recovery' }>): Result<void, Failure> {
  if (!positive(ev.amount))
    return err(invalidEvent(ev, 'invalid_amount', 'amount must be a positive integer'));
  ctx.recovered += ev.amount;
  ctx.cash += ev.amount;
  post(ctx, ev.effectiveDate, 'recovery', ev.id, [
    ['cash', ev.amount],
    ['recoveries', -ev.amount],
  ]);
  return ok(undefined);
}

export function refund(ctx: Ctx, ev: Extract<LoanEvent, { type: 'refund' }>): Result<void, Failure> {
  const amount = ev.amount ?? ctx.creditBalance;
  if (!positive(amount) || amount > ctx.creditBalance)
    return err(invalidEvent(ev, 'invalid_amount', `refund must be between 1 and ${ctx.creditBalance}`));
  ctx.creditBalance -= amount;
  ctx.cash -= amount;
  post(ctx, ev.effectiveDate, 'refund', ev.id, [
    ['overpayment_liability', amount],
    ['cash', -amount],
  ]);
  return ok(undefined);
}

export const positive = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
