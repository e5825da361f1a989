import type { Minor } from '../../../kernel/money.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { DisputeStatus, MethodKind, ProcessorStatus, ProcessorView } from './processor.js';

/**
 * The payment state machine. A payment's state is DERIVED from three facts that only ever move forward:
 *
 *   - its stage at the processor: pending / unknown (no answer yet) → authorized → captured (cards) or
 *     processing → succeeded (bank debits); or one of the ends declined, voided, failed, returned;
 *   - the amount refunded (never decreases);
 *   - the dispute: none → open → won | lost.
 *
 * A new observation (a call's answer, a webhook, the reconciler's `retrieve`) is merged fact by fact, keeping the
 * later of each, and the state is derived again. So an observation delivered twice changes nothing the second
 * time, and one delivered late (a "processing" after the return) cannot move a payment back: applying any set of
 * observations in any order ends in the state of the latest one (property-tested in states.test.ts).
 *
 * README.md draws the resulting state diagram.
 */

export const PAYMENT_STATES = [
  'pending',
  'unknown',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
  'failed',
  'processing',
  'succeeded',
  'returned',
  'disputed',
  'charged_back',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** Where a payment is at the processor, as Plinth knows it. */
export type Stage = 'pending' | 'unknown' | 'failed' | ProcessorStatus;

/** The facts a payment's state is derived from. */
export interface PaymentFacts {
  kind: MethodKind;
  stage: Stage;
  amountAuthorized: Minor;
  amountCaptured: Minor;
  amountRefunded: Minor;
  dispute: DisputeStatus | null;
}

/** Stages in the order a payment moves through them; the ends rank last, so nothing moves a payment out of one. */
const STAGE_RANK: Record<Stage, number> = {
  pending: 0,
  // A call went out and its answer did not come back: more than pending, less than any answer.
  unknown: 1,
  authorized: 2,
  captured: 3,
  processing: 3,
  succeeded: 4,
  declined: 9,
  voided: 9,
  failed: 9,
  returned: 9,
};

const DISPUTE_RANK = { open: 1, won: 2, lost: 2 } as const;
const disputeRank = (d: DisputeStatus | null): number => (d === null ? 0 : DISPUTE_RANK[d]);

/** Money has reached the lender (or is on its way, for a bank debit): the stages a payment applies at. */
const FUNDED: ReadonlySet<Stage> = new Set(['captured', 'processing', 'succeeded']);

export function stateOf(f: PaymentFacts): PaymentState {
  if (!FUNDED.has(f.stage)) return f.stage as PaymentState;
  if (f.dispute === 'lost') return 'charged_back';
  if (f.dispute === 'open') return 'disputed';
  if (f.amountCaptured > 0 && f.amountRefunded >= f.amountCaptured) return 'refunded';
  if (f.amountRefunded > 0) return 'partially_refunded';
  return f.stage as PaymentState;
}

/**
 * What the loan should have received from the payment: what was captured (or debited) less what went back. A
 * bank debit counts from its initiation (README: "Bank payments apply when initiated"); a return, a lost or open
 * dispute, a void, a decline leave nothing.
 */
export function loanShare(f: PaymentFacts): Minor {
  const state = stateOf(f);
  if (state === 'disputed' || state === 'charged_back' || !FUNDED.has(f.stage)) return 0;
  return Math.max(0, f.amountCaptured - f.amountRefunded);
}

/** Merges an observation into the facts: each fact keeps the later of the two. */
export function merge(f: PaymentFacts, seen: Partial<Omit<PaymentFacts, 'kind'>>): PaymentFacts {
  const stage =
    seen.stage !== undefined && STAGE_RANK[seen.stage] > STAGE_RANK[f.stage] ? seen.stage : f.stage;
  const dispute =
    seen.dispute !== undefined && disputeRank(seen.dispute) > disputeRank(f.dispute)
      ? seen.dispute
      : f.dispute;
  return {
    kind: f.kind,
    stage,
    amountAuthorized: Math.max(f.amountAuthorized, seen.amountAuthorized ?? 0),
    amountCaptured: Math.max(f.amountCaptured, seen.amountCaptured ?? 0),
    amountRefunded: Math.max(f.amountRefunded, seen.amountRefunded ?? 0),
    dispute,
  };
}

/** The facts a processor's view of the payment states. */
export function factsOfView(v: ProcessorView, dispute: DisputeStatus | null = null): Partial<PaymentFacts> {
  const d = disputeRank(dispute) > disputeRank(v.dispute) ? dispute : v.dispute;
  return {
    stage: v.status,
    amountAuthorized: v.amountAuthorized,
    amountCaptured: v.amountCaptured,
    amountRefunded: v.amountRefunded,
    dispute: d,
  };
}

export const sameFacts = (a: PaymentFacts, b: PaymentFacts): boolean =>
  a.stage === b.stage &&
  a.amountAuthorized === b.amountAuthorized &&
  a.amountCaptured === b.amountCaptured &&
  a.amountRefunded === b.amountRefunded &&
  a.dispute === b.dispute;

/** Stages whose outcome is not known yet: the reconciler looks at these. */
export const UNRESOLVED: ReadonlySet<Stage> = new Set(['pending', 'unknown']);

const conflict = (code: string, message: string, state: PaymentState) =>
  err(failure('conflict', code, message, { extra: { payment_state: state } }));

/** A capture of `amount` (default: all that is authorized), or why not (409 state, 422 naming `amount`). */
export function checkCapture(f: PaymentFacts, amount: Minor | undefined): Result<Minor> {
  const state = stateOf(f);
  if (state !== 'authorized')
    return conflict('invalid_state_transition', `cannot capture a payment that is ${state}`, state);
  const wanted = amount ?? f.amountAuthorized;
  if (wanted > f.amountAuthorized)
    return err(
      failure('unprocessable', 'amount_above_authorized', `at most ${f.amountAuthorized} can be captured`, {
        fields: [{ path: 'amount', message: `must not exceed the authorized ${f.amountAuthorized}` }],
      }),
    );
  return ok(wanted);
}

/** Voids release an authorization; a captured payment is refunded instead (409). */
export function checkVoid(f: PaymentFacts): Result<void> {
  const state = stateOf(f);
  if (state !== 'authorized')
    return conflict(
      'invalid_state_transition',
      state === 'captured' || state === 'succeeded' || state === 'processing'
        ? `cannot void a payment that is ${state}: refund it`
        : `cannot void a payment that is ${state}`,
      state,
    );
  return ok(undefined);
}

const REFUNDABLE: ReadonlySet<PaymentState> = new Set(['captured', 'partially_refunded', 'succeeded']);

/** A refund of `amount` (default: everything left), given refunds already under way (`pending`). */
export function checkRefund(f: PaymentFacts, amount: Minor | undefined, pending: Minor): Result<Minor> {
  const state = stateOf(f);
  if (!REFUNDABLE.has(state))
    return conflict('invalid_state_transition', `cannot refund a payment that is ${state}`, state);
  const left = f.amountCaptured - f.amountRefunded - pending;
  const wanted = amount ?? left;
  if (wanted <= 0 || wanted > left)
    return err(
      failure('unprocessable', 'amount_above_refundable', `at most ${Math.max(0, left)} can be refunded`, {
        fields: [{ path: 'amount', message: `must not exceed the refundable ${Math.max(0, left)}` }],
      }),
    );
  return ok(wanted);
}
