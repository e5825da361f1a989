import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { DEFAULT_DELINQUENCY_BUCKETS, delinquencyBucket } from '../../domain/installment/index.js';
import type { LeaseTerms } from '../../domain/lease/index.js';
import type { EventDraft, LoanProjection, LoanServicing } from '../../product.js';
import { unsupported as refuse } from '../support.js';
import { leaseCloseOfBusiness } from './cob.js';
import { termsJson } from './json.js';
import { leaseStore } from './product-store.js';
import { daysPastDue, nextLateFeeOn, replayLease } from './replay.js';
import { type LeaseReplay, outstanding, owing } from './state.js';
import { parseTermination, settlement } from './termination.js';

const termsOf = (snapshot: unknown): LeaseTerms => snapshot as LeaseTerms;

const unsupported = (action: string) => refuse('lease', action);

/**
 * The generic projection of a replayed lease: the payment rows, days past due from the oldest payment still
 * owing, the next payment with anything unpaid, the next late-fee check and the payment whose rent is being
 * earned (`accruedTo`: the first day not recognised yet). A lease that ended is no longer visited.
 */
export function project(r: LeaseReplay, asOf: CalendarDate, accruedTo: CalendarDate): LoanProjection {
  const active = r.status === 'active';
  const rows = r.rows;
  const anything = (k: number) => owing(rows[k]!) !== 0 || outstanding(rows[k]!, 'penalties') !== 0;
  const next = rows.findIndex((_, k) => anything(k));
  const oldest = rows.find((row) => owing(row) > 0);
  const cursor = r.periodEnds.findIndex((end) => end > accruedTo);
  const dpd = daysPastDue(r, asOf);
  return {
    status: r.status,
    cobActive: active,
    daysPastDue: dpd,
    delinquencyBucket: delinquencyBucket(dpd, DEFAULT_DELINQUENCY_BUCKETS),
    creditBalance: r.termination?.refund ?? 0,
    nextDueDate: active && next >= 0 ? rows[next]!.dueDate : null,
    oldestUnpaidDue: active && oldest ? oldest.dueDate : null,
    nextLateFeeOn: nextLateFeeOn(r),
    accrualCursor: active && rows.length > 0 && cursor >= 0 ? cursor + 1 : null,
    installments: rows,
    journal: r.journal,
    effects: r.effects,
  };
}

export const leaseServicing: LoanServicing = {
  product: 'lease',
  closeOfBusiness: leaseCloseOfBusiness,
  store: leaseStore,

  event(input, loan, businessDate): Result<EventDraft> {
    const effectiveDate =
      input.effectiveDate ?? (input.action === 'disburse' ? loan.startDate : businessDate);
    switch (input.action) {
      case 'approve':
      case 'reject':
      case 'withdraw':
      case 'disburse':
      case 'close':
        return ok({ type: input.action, effectiveDate, payload: {} });
      case 'payment':
        // A lease ends early by termination, which prices the vehicle; a payoff payment has no meaning here.
        if (input.payoff) return unsupported('payoff payments: terminate the lease instead');
        return ok({ type: 'payment', effectiveDate, payload: { amount: input.amount } });
      case 'payment_reversal':
        return ok({ type: 'payment_reversal', effectiveDate, payload: { paymentId: input.paymentId } });
      case 'terminate': {
        const t = parseTermination(input.details ?? {});
        if (!t.ok) return t;
        return ok({ type: 'terminate', effectiveDate, payload: { ...t.value } });
      }
      default:
        return unsupported(input.action);
    }
  },

  replay(terms, events, asOf, { closeOfBusiness }) {
    const r = replayLease(termsOf(terms), events, asOf, { closeOfBusiness });
    return r.ok ? ok(project(r.value, asOf, closeOfBusiness ? addDays(asOf, 1) : asOf)) : r;
  },

  /**
   * The lease's payoff on `date`: before the maturity date the early-termination quote for the vehicle's
   * `realized_value` (0 when not given: the early-termination payoff before any vehicle credit), from the maturity
   * date the purchase quote; after a termination, what is left to pay on it.
   */
  payoffQuote(terms, events, date, details = {}) {
    const replayed = replayLease(termsOf(terms), events, date, { closeOfBusiness: false });
    if (!replayed.ok) return replayed;
    const r = replayed.value;
    if (r.termination)
      return ok({ date, termination: r.status, total_due: r.termination.due - r.termination.paid });
    if (r.status !== 'active')
      return err(
        failure('conflict', 'invalid_state_transition', `a lease that is ${r.status} has no payoff`, {
          extra: { loan_status: r.status },
        }),
      );
    const matured = date >= r.periodEnds.at(-1)!;
    const request = parseTermination({
      type: matured ? 'purchase' : 'early',
      ...(!matured && { realized_value: 0 }),
      ...details,
    });
    if (!request.ok) return request;
    const s = settlement(r, date, request.value);
    return s.ok ? ok(s.value.quote) : s;
  },

  termsJson: (terms) => termsJson(termsOf(terms)),
};
