import type { CalendarDate } from '../../../../kernel/dates.js';
import { err, type Failure, ok, type Result } from '../../../../kernel/result.js';
import { refreshStatus } from './days.js';
import { checkTransition, invalidEvent, type LoanEvent, TARGET } from './events.js';
import { changeRate } from './rate-change.js';
import { recalculationOf, withRestPending } from './recalculation.js';
import { reanchorAfterMaturity } from './recalculation-maturity.js';
import { rescheduleAfter } from './reschedule.js';
import {
  applyPayment,
  type Ctx,
  charge,
  chargeOff,
  disburse,
  isServicing,
  payoff,
  positive,
  recover,
  refund,
  targetInstallment,
  waive,
} from './servicing.js';
import { disburseTranche } from './tranche-disbursement.js';

// How one event changes a loan's servicing state, shared by the full replay (replay.ts) and its continuation
// (replay-during.ts), and the checks the event history must pass before it is applied.

/** One event applied on `day`, as every replay applies it (a reversal's effect is the restated history before it). */
export function applyOn(ctx: Ctx, ev: LoanEvent, day: CalendarDate): Result<void, Failure> {
  const allowed = checkTransition(ctx.status, ev);
  if (!allowed.ok || ev.type === 'payment_reversal') return allowed;
  const applied = apply(ctx, ev);
  if (!applied.ok) return applied;
  // A payoff settles by its own rules (payoff.ts); anything else that moves principal re-computes interest.
  if (recalculationOf(ctx.terms) && ev.type !== 'payoff' && isServicing(ctx.status)) {
    ctx.basis = withRestPending(ctx.basis, ctx.terms, ctx.installments, ctx.payments, day);
    rescheduleAfter(ctx, ev, day);
    ctx.basis = reanchorAfterMaturity(ctx.terms, ctx.basis, ctx.installments, day);
  }
  refreshStatus(ctx, day, ev.id);
  return ok(undefined);
}

function apply(ctx: Ctx, ev: LoanEvent): Result<void, Failure> {
  const date = ev.effectiveDate;
  switch (ev.type) {
    case 'disburse': {
      const r = disburse(ctx, ev);
      if (!r.ok) return r;
      break;
    }
    case 'payment':
      if (!positive(ev.amount))
        return err(invalidEvent(ev, 'invalid_amount', 'amount must be a positive integer'));
      applyPayment(ctx, ev, ev.amount, ctx.terms);
      break;
    case 'payoff':
      if (!positive(ev.amount))
        return err(invalidEvent(ev, 'invalid_amount', 'amount must be a positive integer'));
      return payoff(ctx, ev, ev.amount);
    case 'fee': {
      const row = targetInstallment(ctx, date, ev.installment);
      if (!positive(ev.amount))
        return err(invalidEvent(ev, 'invalid_amount', 'amount must be a positive integer'));
      if (!row) return err(invalidEvent(ev, 'unknown_installment', `no installment ${ev.installment}`));
      charge(ctx, date, ev.component, ev.amount, row, ev.id);
      break;
    }
    case 'waive':
      return waive(ctx, ev);
    case 'charge_off':
      chargeOff(ctx, date, ev.id);
      break;
    case 'recovery':
      return recover(ctx, ev);
    case 'refund':
      return refund(ctx, ev);
    case 'rate_change':
      return changeRate(ctx, ev);
    case 'disburse_tranche':
      return disburseTranche(ctx, ev);
    default:
      break;
  }
  const target = TARGET[ev.type];
  if (target) ctx.status = target;
  return ok(undefined);
}

/** Unique ids and sequences; each reversal names an earlier payment, at most once. Returns reversed id → date. */
export function checkEvents(sorted: readonly LoanEvent[]): Result<Map<string, CalendarDate>, Failure> {
  const ids = new Set<string>();
  const sequences = new Set<number>();
  const reversed = new Map<string, CalendarDate>();
  const seen = new Map<string, LoanEvent>();
  for (const e of sorted) {
    if (ids.has(e.id) || sequences.has(e.sequence))
      return err(invalidEvent(e, 'duplicate_event', 'event ids and sequences must be unique'));
    ids.add(e.id);
    sequences.add(e.sequence);
    seen.set(e.id, e);
    if (e.type !== 'payment_reversal') continue;
    const target = seen.get(e.paymentId);
    if (!target || (target.type !== 'payment' && target.type !== 'payoff'))
      return err(invalidEvent(e, 'unknown_payment', `no earlier payment ${e.paymentId} to reverse`));
    if (reversed.has(e.paymentId))
      return err(invalidEvent(e, 'duplicate_reversal', `payment ${e.paymentId} is already reversed`));
    reversed.set(e.paymentId, e.effectiveDate);
  }
  return ok(reversed);
}
