import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { type Failure, ok, type Result } from '../../../../kernel/result.js';
import { applyOn } from './apply.js';
import { accrue } from './days.js';
import type { LoanEvent } from './events.js';
import { cloneInstallment } from './installments.js';
import { finish, type LoanState, replayDays } from './replay.js';
import { type Ctx, isServicing } from './servicing.js';
import type { LoanTerms } from './terms.js';

/**
 * A replay during asOf (`closeOfBusiness: false`) that one more payment on asOf can continue: `state` is the loan
 * as `replay(terms, events, asOf, { closeOfBusiness: false })` gives it (what a payoff quote reads), and
 * `withPayment(ev)` is `replay(terms, [...events, ev], asOf, { closeOfBusiness: false })` without replaying the
 * events again. A collection reads the loan (quoting its payoff), charges, then writes the payment: one replay
 * serves both. The continuation runs once (it takes the loop's working state); null when it cannot continue:
 * then replay.
 */
export interface ReplayedDay {
  readonly state: LoanState;
  withPayment(ev: LoanEvent): Result<LoanState, Failure> | null;
}

export function replayDuring(
  terms: LoanTerms,
  events: readonly LoanEvent[],
  asOf: CalendarDate,
): Result<ReplayedDay, Failure> {
  const replayed = replayDays(terms, events, asOf, { closeOfBusiness: false }, new Map());
  if (!replayed.ok) return replayed;
  const days = replayed.value;
  let taken = false;
  return ok({
    // The quote's state ends the loop on a copy: the continuation goes on from the loop's own.
    state: finish(copyCtx(days.ctx), asOf, false),
    withPayment(ev) {
      const { ctx, visited, lastSequence, ids } = days;
      if (taken || (ev.type !== 'payment' && ev.type !== 'payoff') || ev.effectiveDate !== asOf) return null;
      if (ev.sequence <= lastSequence || ids.has(ev.id)) return null;
      taken = true;
      // As the replay with `ev` visits asOf: accrued at the start of the day, asOf's other events, then `ev`.
      if (!visited && isServicing(ctx.status)) accrue(ctx, asOf, addDays(asOf, -1));
      const applied = applyOn(ctx, ev, asOf);
      if (!applied.ok) return applied;
      return ok(finish(ctx, asOf, false));
    },
  });
}

/** A working state that changes apart from `ctx` (entries and payment records are never changed once made). */
function copyCtx(ctx: Ctx): Ctx {
  return {
    ...ctx,
    installments: ctx.installments.map(cloneInstallment),
    chargedOff: { ...ctx.chargedOff },
    journal: [...ctx.journal],
    payments: [...ctx.payments],
    lateFeeChecks: new Map(ctx.lateFeeChecks),
    disbursed: [...ctx.disbursed],
  };
}
