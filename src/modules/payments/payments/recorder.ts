import type { Scope } from '../../../kernel/audit.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import type { StoredResponse } from '../../../kernel/idempotency.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Minor } from '../../../kernel/money.js';
import { type ActionInput, attach, type LoanPayments, type LoanSnapshot } from '../../lending/index.js';
import type { Decline } from '../domain/declines.js';
import { type LoanStep, nextLoanStep } from '../domain/loan-sync.js';
import { merge, type PaymentFacts, sameFacts, stateOf, UNRESOLVED } from '../domain/states.js';
import type { SettingsService } from '../settings/service.js';
import type { Operation, PaymentRow, TransitionSource } from '../tables.js';
import { findPayment, reschedule } from './store.js';
import {
  type KeyCompletion,
  keyCompletion,
  type PaymentChange,
  paymentChange,
  TRANSITION_KEY,
  writeChange,
} from './write.js';

/**
 * A request's Idempotency-Key claimed with its payment (claim.ts): the statement that records the call's answer
 * completes it with the response the request gets for the payment as that statement leaves it.
 */
export interface PendingKey {
  key: string;
  /** The response for the payment; null when it is not stored (a 5xx: the client retries, the key is released). */
  render(p: PaymentRow): StoredResponse | null;
  /** Set once a statement that wrote a change completed the key, with the response it stored. */
  stored?: StoredResponse;
}

/** Something learned about a payment, or something Plinth is about to do with it. */
export interface Observation {
  seen?: Partial<Omit<PaymentFacts, 'kind'>>;
  processorId?: string | null;
  decline?: Decline | null;
  returnCode?: string | null;
  /** A call under way (set before it is sent), or null once its outcome is known. */
  operation?: { op: Operation; amount: Minor | null } | null;
  error?: string | null;
  refund?: PaymentChange['refund'];
  /** Record a transition even when no fact changes (a call about to be sent, a refund's status). */
  force?: boolean;
  detail?: Record<string, unknown>;
  /** The reconciler's next look, when not derived from the payment (domain/states.ts's unresolved stages). */
  nextCheckAt?: Date | null;
  /** The payment's loan as just read (a collection's): the loan's write plans from it (lending re-reads if stale). */
  loanRead?: LoanSnapshot;
  /** The request's key, completed in the statement that writes the change. */
  key?: PendingKey;
}

/** The completion of `o`'s key with the response for `p` (none: no key, or a response not stored). */
function completionOf(p: PaymentRow, o: Observation): KeyCompletion | null {
  const response = o.key?.render(p);
  return o.key && response ? { tenantId: p.tenantId, key: o.key.key, response } : null;
}

export const factsOf = (p: PaymentRow): PaymentFacts => ({
  kind: p.kind,
  stage: p.stage,
  amountAuthorized: p.amountAuthorized,
  amountCaptured: p.amountCaptured,
  amountRefunded: p.amountRefunded,
  dispute: p.dispute,
});

const ATTEMPTS = 6;
/** How soon the reconciler looks at a payment with a call unanswered, and at a bank debit not final yet. */
const UNRESOLVED_CHECK_MS = 60_000;
const BANK_CHECK_MS = 6 * 3600_000;
/** ACH debits can come back for 60 days (R10 and other unauthorized returns). */
const RETURN_WINDOW_MS = 60 * 86_400_000;

/**
 * The one place a payment changes: the facts of an observation are merged (domain/states.ts), the state derived,
 * and the change written with its transition; when the payment belongs to a loan and the loan must follow
 * (domain/loan-sync.ts), the change rides on the loan's write, so the payment and the loan commit together. A
 * change made from an outdated version fails on the transition's key and is merged again into the payment as it
 * now is: observations are idempotent, so racing webhooks, API calls and the reconciler converge.
 */
export class PaymentRecorder {
  constructor(
    private readonly deps: {
      db: Db;
      lending: LoanPayments;
      settings: SettingsService;
      logger: Logger;
      now: () => Date;
    },
  ) {}

  async record(scope: Scope, p: PaymentRow, o: Observation, source: TransitionSource): Promise<PaymentRow> {
    let current = p;
    for (let attempt = 0; ; attempt++) {
      const after = this.#apply(current, o);
      const changed = o.force || !sameRow(current, after);
      try {
        if (!changed) {
          // Nothing learned: only the reconciler's next look moves, without a transition.
          if ((current.nextCheckAt?.getTime() ?? null) !== (after.nextCheckAt?.getTime() ?? null))
            await reschedule(this.deps.db, current, after.nextCheckAt);
          return await this.catchUp(scope, { ...current, nextCheckAt: after.nextCheckAt }, source);
        }
        const written = await this.#write(scope, current, after, o, source);
        return await this.catchUp(scope, written, source);
      } catch (e) {
        if (!isStale(e) || attempt >= ATTEMPTS) throw e;
        current = (await findPayment(this.deps.db, current.tenantId, current.id)) ?? current;
        // An operation flag set by someone else is theirs to clear; ours only applies to what we started.
        if (o.force && o.operation && current.operation) return current;
      }
    }
  }

  /** Takes the loan's remaining steps (a re-application after a reversal, the returned-payment fee). */
  async catchUp(scope: Scope, p: PaymentRow, source: TransitionSource): Promise<PaymentRow> {
    let current = p;
    for (let n = 0; n < 3; n++) {
      if (!current.loanId || current.loanError) return current;
      const step = nextLoanStep(factsOf(current), linkOf(current), await this.#fee(current));
      if (!step) return current;
      const after = { ...current, version: current.version + 1, updatedAt: this.deps.now() };
      try {
        current = await this.#loanStep(scope, current, after, step, { detail: { loan: step.step } }, source);
      } catch (e) {
        if (!isStale(e)) throw e;
        current = (await findPayment(this.deps.db, current.tenantId, current.id)) ?? current;
      }
    }
    return current;
  }

  #apply(p: PaymentRow, o: Observation): PaymentRow {
    const facts = merge(factsOf(p), o.seen ?? {});
    const now = this.deps.now();
    const decline = o.decline === undefined ? undefined : o.decline;
    const operation = o.operation === undefined ? undefined : o.operation;
    const after: PaymentRow = {
      ...p,
      stage: facts.stage,
      amountAuthorized: facts.amountAuthorized,
      amountCaptured: facts.amountCaptured,
      amountRefunded: facts.amountRefunded,
      dispute: facts.dispute,
      state: stateOf(facts),
      processorId: o.processorId ?? p.processorId,
      declineCode: decline === undefined ? p.declineCode : (decline?.code ?? null),
      declineVendorCode: decline === undefined ? p.declineVendorCode : (decline?.vendorCode ?? null),
      declineMessage: decline === undefined ? p.declineMessage : (decline?.message ?? null),
      returnCode: o.returnCode ?? p.returnCode,
      operation: operation === undefined ? p.operation : (operation?.op ?? null),
      operationAmount: operation === undefined ? p.operationAmount : (operation?.amount ?? null),
      operationStartedAt: operation === undefined ? p.operationStartedAt : operation ? now : null,
      error: o.error === undefined ? p.error : o.error,
      version: p.version + 1,
      updatedAt: now,
    };
    after.nextCheckAt = o.nextCheckAt !== undefined ? o.nextCheckAt : this.#nextCheck(after, now);
    return after;
  }

  /** When the reconciler should look again: soon for a call unanswered, regularly for a bank debit not final. */
  #nextCheck(p: PaymentRow, now: Date): Date | null {
    if (p.operation || UNRESOLVED.has(p.stage)) return new Date(now.getTime() + UNRESOLVED_CHECK_MS);
    const bankOpen =
      p.kind === 'bank_account' &&
      (p.stage === 'processing' || p.stage === 'succeeded') &&
      now.getTime() - p.createdAt.getTime() < RETURN_WINDOW_MS;
    return bankOpen ? new Date(now.getTime() + BANK_CHECK_MS) : null;
  }

  async #write(
    scope: Scope,
    before: PaymentRow,
    after: PaymentRow,
    o: Observation,
    source: TransitionSource,
  ): Promise<PaymentRow> {
    const step =
      after.loanId && !after.loanError
        ? nextLoanStep(factsOf(after), linkOf(after), await this.#fee(after))
        : null;
    if (step) return this.#loanStep(scope, before, after, step, o, source);
    const key = completionOf(after, o);
    await writeChange(this.deps.db, change(before, after, o, source, null), key);
    if (key && o.key) o.key.stored = key.response;
    return after;
  }

  /**
   * One loan step with the payment's change in the loan's statement. A step the loan refuses (a loan closed
   * meanwhile, say) is recorded on the payment (`loan_error`) for an operator, and the change written alone.
   */
  async #loanStep(
    scope: Scope,
    before: PaymentRow,
    after: PaymentRow,
    step: LoanStep,
    o: Observation,
    source: TransitionSource,
  ): Promise<PaymentRow> {
    const input = this.#input(before, step);
    let written = after;
    let key: KeyCompletion | null = null;
    const applied = await this.deps.lending.apply(
      scope,
      after.loanId!,
      input,
      (outcome) => {
        written = linked(after, step, outcome.event.id);
        key = completionOf(written, o);
        const rows = [attach(paymentChange, [change(before, written, o, source, outcome.event.id, step)])];
        return key ? [...rows, attach(keyCompletion, [key])] : rows;
      },
      o.loanRead,
    );
    if (applied.ok) {
      if (key && o.key) o.key.stored = (key as KeyCompletion).response;
      return written;
    }
    // Refused because another change of the payment took the step first (a reversal already made): merge again.
    const now = await findPayment(this.deps.db, before.tenantId, before.id);
    if (now && now.version !== before.version) throw new StalePayment();
    const refused = { ...after, loanError: `${step.step}: ${applied.error.code}: ${applied.error.message}` };
    this.deps.logger.error(
      { tenantId: after.tenantId, paymentId: after.id, loanId: after.loanId, code: applied.error.code },
      'payments: the loan refused a payment step',
    );
    const refusedKey = completionOf(refused, o);
    await writeChange(this.deps.db, change(before, refused, o, source, null, step), refusedKey);
    if (refusedKey && o.key) o.key.stored = refusedKey.response;
    return refused;
  }

  #input(before: PaymentRow, step: LoanStep): ActionInput {
    switch (step.step) {
      case 'apply':
        // A payment's first outcome applies on its due date (autopay); a re-application on the business date.
        return {
          action: 'payment',
          amount: step.amount,
          currency: before.currency,
          effectiveDate:
            before.autopayDueDate && before.loanEventId === null && UNRESOLVED.has(before.stage)
              ? before.autopayDueDate
              : undefined,
        };
      case 'reverse':
        // A return, a refund or a chargeback: late fees from the business date it is processed on, never before.
        return { action: 'payment_reversal', paymentId: step.eventId, details: { returned: true } };
      case 'fee':
        return {
          action: 'fee',
          amount: step.amount,
          currency: before.currency,
          details: { description: 'returned payment fee', kind: 'returned_payment' },
        };
    }
  }

  async #fee(p: PaymentRow): Promise<Minor> {
    if (!p.programId || p.state !== 'returned' || p.loanFeeCharged) return 0;
    return (await this.deps.settings.of(p.tenantId, p.programId)).returnedPaymentFee;
  }
}

/** The payment moved on since the change was computed from it. */
class StalePayment extends Error {}

const isStale = (e: unknown): boolean => e instanceof StalePayment || isUniqueViolation(e, TRANSITION_KEY);

const linkOf = (p: PaymentRow) => ({
  applied: p.loanApplied,
  eventId: p.loanEventId,
  feeCharged: p.loanFeeCharged,
});

/** The payment once the loan took `step` as event `eventId`. */
function linked(p: PaymentRow, step: LoanStep, eventId: string): PaymentRow {
  if (step.step === 'apply') return { ...p, loanApplied: step.amount, loanEventId: eventId };
  if (step.step === 'reverse') return { ...p, loanApplied: 0, loanEventId: null };
  return { ...p, loanFeeCharged: true };
}

function change(
  before: PaymentRow,
  after: PaymentRow,
  o: Observation,
  source: TransitionSource,
  loanEventId: string | null,
  step?: LoanStep,
): PaymentChange {
  const detail: Record<string, unknown> = { ...o.detail };
  if (step) detail.loan = step;
  if (o.decline) detail.decline = o.decline.code;
  if (o.error) detail.error = o.error;
  return { before, after, source, detail, loanEventId, refund: o.refund ?? null };
}

/** Whether anything a change would record differs (the version, times and the next check aside). */
function sameRow(a: PaymentRow, b: PaymentRow): boolean {
  return (
    sameFacts(factsOf(a), factsOf(b)) &&
    a.processorId === b.processorId &&
    a.declineCode === b.declineCode &&
    a.returnCode === b.returnCode &&
    a.operation === b.operation &&
    a.error === b.error
  );
}
