import { err, type Failure, ok, type Result } from '../../../../kernel/result.js';
import { invalidEvent, type LoanEvent } from './events.js';
import { type Installment, installmentsFromSchedule, totalOutstanding } from './installments.js';
import { generateSchedule } from './schedule.js';
import { type Ctx, positive, post } from './servicing.js';

export type TrancheEvent = Extract<LoanEvent, { type: 'disburse_tranche' }>;

/**
 * One more tranche of a loan in tranches (tranches.ts): the money paid out, and the installments from the one whose
 * period holds the date re-amortized with every tranche disbursed so far, at the rate in force (Fineract's
 * disbursement of a multi-disbursement loan). The installments before it keep their schedule; what was paid,
 * waived, charged or recognised on an installment stays with it. Replayed like any event, so a backdated tranche
 * re-allocates the payments made since and the journal is restated.
 *
 * Refused: a program without `multi_disbursement`; more tranches than `max_tranches`; more in all than the amount
 * financed (the approved amount); principal outstanding above `max_outstanding`; a date on or after the last due
 * date; and a re-amortization that would leave an installment owing less than was paid on it in advance.
 */
export function disburseTranche(ctx: Ctx, ev: TrancheEvent): Result<void, Failure> {
  const { terms } = ctx;
  const multi = terms.multiDisbursement;
  const refuse = (code: string, message: string, extra: Record<string, unknown> = {}) =>
    err(invalidEvent(ev, code, message, extra));
  if (multi === null)
    return refuse(
      'tranches_not_allowed',
      'the loan’s program does not allow tranches (no multi_disbursement)',
    );
  if (!positive(ev.amount)) return refuse('invalid_amount', 'amount must be a positive integer');
  if (ctx.disbursed.length >= multi.maxTranches)
    return refuse('too_many_tranches', `the program allows ${multi.maxTranches} tranches`, {
      max_tranches: multi.maxTranches,
    });
  const disbursed = ctx.disbursed.reduce((s, t) => s + t.amount, 0);
  if (disbursed + ev.amount > terms.amountFinanced)
    return refuse(
      'tranche_exceeds_approved_amount',
      `${disbursed} of the approved ${terms.amountFinanced} is disbursed: at most ${terms.amountFinanced - disbursed} more`,
      { approved: terms.amountFinanced, disbursed },
    );
  const outstanding = totalOutstanding(ctx.installments).principal + ev.amount;
  if (multi.maxOutstanding !== null && outstanding > multi.maxOutstanding)
    return refuse(
      'max_outstanding_exceeded',
      `the tranche takes the principal outstanding to ${outstanding}, above the program's ${multi.maxOutstanding}`,
      { max_outstanding: multi.maxOutstanding },
    );
  const rows = ctx.installments;
  const j = rows.findIndex((r) => r.dueDate > ev.effectiveDate);
  if (j < 0 || ev.effectiveDate >= rows.at(-1)!.dueDate)
    return refuse(
      'tranche_after_maturity',
      `a tranche must be disbursed before the last due date (${rows.at(-1)!.dueDate})`,
    );
  const tranches = [...ctx.disbursed, { date: ev.effectiveDate, amount: ev.amount }];
  const schedule = installmentsFromSchedule(generateSchedule({ ...terms, tranches }).rows);
  const merged = mergeFrom(rows, schedule, j);
  if (typeof merged === 'number')
    return refuse(
      'tranche_below_paid',
      `installment ${merged} has more paid in advance than the re-amortized schedule leaves due: reverse the advance payment first`,
    );
  ctx.installments = merged;
  ctx.disbursed = tranches;
  ctx.cash -= ev.amount;
  post(ctx, ev.effectiveDate, 'disbursement', ev.id, [
    ['loans_receivable', ev.amount],
    ['cash', -ev.amount],
  ]);
  return ok(undefined);
}

/**
 * The installments with the new schedule from index j: each keeps what was charged, paid, waived and recognised on
 * it, its scheduled principal and interest (and the interest it earns) replaced. The number of the installment
 * owing less than was paid or waived on it otherwise.
 */
function mergeFrom(
  rows: readonly Installment[],
  schedule: readonly Installment[],
  j: number,
): Installment[] | number {
  const out = rows.slice(0, j);
  for (let k = j; k < Math.max(rows.length, schedule.length); k++) {
    const old = rows[k];
    const next = schedule[k];
    if (next === undefined) {
      // The new schedule ends sooner (rounding): an installment it drops must have nothing on it.
      if (old!.paid.principal + old!.paid.interest + old!.waived.interest > 0) return old!.number;
      continue;
    }
    if (old === undefined) {
      out.push(next);
      continue;
    }
    const row: Installment = {
      ...old,
      openingBalance: next.openingBalance,
      interestAccrual: next.interestAccrual,
      due: { ...old.due, principal: next.due.principal, interest: next.due.interest },
    };
    for (const c of ['principal', 'interest'] as const)
      if (row.due[c] < row.paid[c] + row.waived[c]) return row.number;
    out.push(row);
  }
  return out;
}
