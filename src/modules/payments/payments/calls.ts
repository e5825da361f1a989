import type { Scope } from '../../../kernel/audit.js';
import { ProviderError } from '../../../kernel/errors.js';
import type { Minor } from '../../../kernel/money.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { LoanSnapshot } from '../../lending/index.js';
import type { AuthResult, PaymentProcessor } from '../domain/processor.js';
import { factsOfView } from '../domain/states.js';
import { processorFailure } from '../processors.js';
import type { PaymentMethodRow, PaymentRow, TransitionSource } from '../tables.js';
import type { Observation, PendingKey } from './recorder.js';
import { type CallDeps, chargeOf, refOf } from './requests.js';
import { findPayment } from './store.js';

/**
 * The processor calls of a payment, each in three steps: the call is recorded as under way (`operation`), sent,
 * and its answer recorded. A call whose answer never comes leaves the operation set and the payment `unknown`:
 * sending it again (a client's retry with the same Idempotency-Key, or the reconciler) carries the same reference,
 * which the processor answers with the first call's outcome, so nothing is charged twice.
 */
export class Calls {
  constructor(private readonly deps: CallDeps) {}

  /** Sends the payment's charge (its `operation` is already `authorize`) and records the answer. */
  async authorize(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    source: TransitionSource,
    /** The payment's loan as a collection read it just before (the loan's write plans from it). */
    loanRead?: LoanSnapshot,
    /** The request's key claimed with the payment: completed in the statement that records the answer. */
    key?: PendingKey,
  ): Promise<PaymentRow> {
    let answer: AuthResult;
    try {
      answer = await processor.authorize(chargeOf(p, m));
    } catch (e) {
      return this.#unanswered(scope, p, e, source, key);
    }
    if (p.withMandate && answer.outcome === 'approved') await this.deps.methods.markMandateUsed(scope, m.id);
    return this.#answered(scope, p, answer, source, loanRead, key);
  }

  #answered(
    scope: Scope,
    p: PaymentRow,
    answer: AuthResult,
    source: TransitionSource,
    loanRead?: LoanSnapshot,
    key?: PendingKey,
  ): Promise<PaymentRow> {
    if (answer.outcome === 'approved')
      return this.deps.recorder.record(
        scope,
        p,
        {
          seen: {
            stage: answer.status,
            amountAuthorized: answer.amountAuthorized,
            amountCaptured: answer.amountCaptured,
          },
          processorId: answer.processorId,
          operation: null,
          error: null,
          ...(loanRead && { loanRead }),
          ...(key && { key }),
        },
        source,
      );
    return this.deps.recorder.record(
      scope,
      p,
      {
        seen: { stage: 'declined' },
        processorId: answer.processorId,
        decline: answer.decline,
        operation: null,
        error: null,
        ...(key && { key }),
      },
      source,
    );
  }

  /**
   * A call that failed. Refused as invalid (or for Plinth's credentials) before anything moved: the authorization
   * failed, or a capture / void simply did not happen. Transient: the outcome is unknown until a retry or the
   * reconciler learns it, and the operation stays set.
   */
  async #unanswered(
    scope: Scope,
    p: PaymentRow,
    e: unknown,
    source: TransitionSource,
    key?: PendingKey,
  ): Promise<PaymentRow> {
    if (!(e instanceof ProviderError)) throw e;
    const error = `${e.kind}${e.details.vendorCode ? `: ${e.details.vendorCode}` : ''}`;
    if (e.transient || e.kind === 'invalid_response')
      return this.deps.recorder.record(
        scope,
        p,
        { seen: { stage: p.operation === 'authorize' ? 'unknown' : p.stage }, error, force: true },
        source,
      );
    const seen = p.operation === 'authorize' ? { stage: 'failed' as const } : {};
    return this.deps.recorder.record(
      scope,
      p,
      { seen, operation: null, error, force: true, ...(key && { key }) },
      source,
    );
  }

  /** Captures `amount` of an authorized payment. */
  capture(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    amount: Minor,
  ): Promise<Result<PaymentRow>> {
    return this.#operate(scope, p, processor, m, 'capture', amount);
  }

  /** Releases an authorization. */
  void(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
  ): Promise<Result<PaymentRow>> {
    return this.#operate(scope, p, processor, m, 'void', null);
  }

  async #operate(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    op: 'capture' | 'void',
    amount: Minor | null,
  ): Promise<Result<PaymentRow>> {
    const started = await this.#start(scope, p, op, amount);
    if (!started) return err(busy());
    return this.#send(scope, started, processor, m, 'api');
  }

  /** Sends the capture or void a payment has under way, and records its answer. */
  async #send(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    source: TransitionSource,
  ): Promise<Result<PaymentRow>> {
    try {
      let seen: Observation['seen'];
      if (p.operation === 'capture') {
        const r = await processor.capture(refOf(p, m), p.operationAmount ?? p.amountAuthorized);
        seen = { stage: 'captured', amountCaptured: r.amountCaptured };
      } else {
        await processor.void(refOf(p, m));
        seen = { stage: 'voided' };
      }
      return ok(await this.deps.recorder.record(scope, p, { seen, operation: null, error: null }, source));
    } catch (e) {
      return this.#failedCall(scope, p, e, source, p.operation === 'capture' ? 'amount' : undefined);
    }
  }

  /** A capture or void that failed: refused (nothing moved, the operation is cleared) or unknown (kept). */
  async #failedCall(
    scope: Scope,
    p: PaymentRow,
    e: unknown,
    source: TransitionSource,
    field?: string,
  ): Promise<Result<PaymentRow>> {
    await this.#unanswered(scope, p, e, source);
    return err(processorFailure(e, field));
  }

  /** Records that `op` is about to be sent; null when another call on the payment got there first. */
  async #start(
    scope: Scope,
    p: PaymentRow,
    op: 'capture' | 'void',
    amount: Minor | null,
  ): Promise<PaymentRow | null> {
    const started = await this.deps.recorder.record(
      scope,
      p,
      { operation: { op, amount }, force: true, detail: { operation: op, amount } },
      'api',
    );
    return started.operation === op && started.operationAmount === amount ? started : null;
  }

  /**
   * Sends again the call a payment has under way (same reference: the processor answers with the first call's
   * outcome). A charge past the processor's replay window is looked up instead: re-sending it could charge twice.
   */
  async resend(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    source: TransitionSource,
  ): Promise<PaymentRow> {
    switch (p.operation) {
      case 'authorize': {
        if (this.#replayable(p, processor)) return this.authorize(scope, p, processor, m, source);
        return this.lookUp(scope, p, processor, m, source);
      }
      case 'capture':
      case 'void': {
        const r = await this.#send(scope, p, processor, m, source);
        return r.ok ? r.value : ((await this.#reload(p)) ?? p);
      }
      default:
        return p;
    }
  }

  /**
   * The processor's view of the payment, recorded. A charge the processor never received, past its replay window,
   * failed: nothing was charged, and sending it now could not be told apart from a new charge.
   */
  async lookUp(
    scope: Scope,
    p: PaymentRow,
    processor: PaymentProcessor,
    m: PaymentMethodRow,
    source: TransitionSource,
  ): Promise<PaymentRow> {
    const view = await processor.retrieve(refOf(p, m));
    if (!view) {
      if (p.operation !== 'authorize') return p;
      // Not at the processor, still inside the replay window: the charge is sent again under its reference.
      if (this.#replayable(p, processor)) return this.authorize(scope, p, processor, m, source);
      return this.deps.recorder.record(
        scope,
        p,
        {
          seen: { stage: 'failed' },
          operation: null,
          error: 'the processor never received the charge',
          force: true,
        },
        source,
      );
    }
    const chargeDone = p.operation === 'authorize' && view.status !== 'declined';
    return this.deps.recorder.record(
      scope,
      p,
      {
        seen: factsOfView(view),
        processorId: view.processorId,
        ...(view.decline && { decline: view.decline }),
        ...(view.returnCode && { returnCode: view.returnCode }),
        ...((chargeDone || view.status === 'declined') && { operation: null, error: null }),
      },
      source,
    );
  }

  /** Whether the charge's reference is still well inside the processor's replay window (a margin for clocks). */
  #replayable(p: PaymentRow, processor: PaymentProcessor): boolean {
    return this.deps.now().getTime() - p.createdAt.getTime() < processor.replayWindowSeconds * 900;
  }

  #reload(p: PaymentRow): Promise<PaymentRow | undefined> {
    return findPayment(this.deps.db, p.tenantId, p.id);
  }
}

const busy = () =>
  failure(
    'conflict',
    'payment_busy',
    'another call on this payment is under way; read the payment and try again',
  );
