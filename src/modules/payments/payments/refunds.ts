import type { Scope } from '../../../kernel/audit.js';
import { isUniqueViolation } from '../../../kernel/db.js';
import { ProviderError } from '../../../kernel/errors.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { Minor } from '../../../kernel/money.js';
import { err, notFound, ok, type Result } from '../../../kernel/result.js';
import type { PaymentProcessor } from '../domain/processor.js';
import { newReference } from '../domain/reference.js';
import { checkRefund } from '../domain/states.js';
import { processorFailure } from '../processors.js';
import type { PaymentRow, RefundRow, TransitionSource } from '../tables.js';
import { factsOf } from './recorder.js';
import { type CallDeps, callContext, refOf } from './requests.js';
import * as store from './store.js';

export interface RefundOutcome {
  payment: PaymentRow;
  refund: RefundRow;
}

/**
 * Refunds: recorded as `requested` (its amount counts against what is refundable from then on), sent with the
 * refund's own reference, then finalized with the payment's new refunded amount, which the loan follows (the
 * payment's application is reversed and what is left applied again, domain/loan-sync.ts). A refund whose answer
 * never came stays `requested`; the same Idempotency-Key, or the reconciler, sends it again with its reference.
 */
export class RefundService {
  constructor(private readonly deps: CallDeps) {}

  async create(
    scope: Scope,
    paymentId: string,
    amount: Minor | undefined,
    key: string | null,
  ): Promise<Result<RefundOutcome>> {
    const tenantId = scope.tenantId;
    const found = isUuid(paymentId) ? await store.findPayment(this.deps.db, tenantId, paymentId) : undefined;
    if (!found) return err(notFound('payment'));
    if (key) {
      const existing = await store.findRefundByKey(this.deps.db, tenantId, key);
      if (existing && existing.paymentId === found.id) return this.#resume(scope, found, existing);
    }
    const inFlight = await store.refundsInFlight(this.deps.db, tenantId, found.id);
    const checked = checkRefund(factsOf(found), amount, inFlight);
    if (!checked.ok) return checked;
    let refund: RefundRow;
    try {
      refund = await store.insertRefund(this.deps.db, {
        tenantId,
        id: uuidv7(),
        paymentId: found.id,
        reference: newReference('R'),
        idempotencyKey: key,
        amount: checked.value,
        status: 'requested',
      });
    } catch (e) {
      const again =
        key && isUniqueViolation(e, 'payment_refunds_idempotency_key')
          ? await store.findRefundByKey(this.deps.db, tenantId, key)
          : undefined;
      if (again) return this.#resume(scope, found, again);
      throw e;
    }
    return this.#send(scope, found, refund, 'api');
  }

  async #resume(scope: Scope, p: PaymentRow, r: RefundRow): Promise<Result<RefundOutcome>> {
    if (r.status !== 'requested') return ok({ payment: p, refund: r });
    return this.#send(scope, p, r, 'api');
  }

  /** Sends a requested refund again (the reconciler), with its own reference. */
  async resend(scope: Scope, p: PaymentRow, r: RefundRow): Promise<Result<RefundOutcome>> {
    return this.#send(scope, p, r, 'reconciler');
  }

  async #send(
    scope: Scope,
    p: PaymentRow,
    r: RefundRow,
    source: TransitionSource,
  ): Promise<Result<RefundOutcome>> {
    const { processor, method } = await callContext(this.deps, scope, p);
    let answer: Awaited<ReturnType<PaymentProcessor['refund']>>;
    try {
      answer = await processor.refund(refOf(p, method), {
        reference: r.reference,
        amount: r.amount,
        currency: p.currency,
        whole: p.amountRefunded === 0 && r.amount === p.amountCaptured,
      });
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      if (!e.transient && e.kind !== 'invalid_response') {
        // Refused: nothing moved, so the amount is refundable again.
        const error = `${e.kind}: ${e.details.vendorCode ?? 'no code'}`;
        await this.deps.recorder.record(
          scope,
          p,
          {
            refund: { id: r.id, status: 'failed', processorRefundId: null, error },
            force: true,
            detail: { refund: r.id },
          },
          source,
        );
      }
      return err(processorFailure(e, 'amount'));
    }
    const status = answer.status === 'pending' ? 'pending' : 'succeeded';
    const refunded = (await this.#committed(p)) + r.amount;
    const payment = await this.deps.recorder.record(
      scope,
      p,
      {
        seen: { amountRefunded: refunded },
        refund: { id: r.id, status, processorRefundId: answer.refundId, error: null },
        force: true,
        detail: { refund: r.id, amount: r.amount },
      },
      source,
    );
    return ok({
      payment,
      refund: { ...r, status, processorRefundId: answer.refundId, updatedAt: this.deps.now() },
    });
  }

  /** What refunds the processor has committed to add up to (this one aside, which is still `requested`). */
  async #committed(p: PaymentRow): Promise<Minor> {
    const rows = await store.listRefunds(this.deps.db, p.tenantId, p.id);
    const done = rows.filter((x) => x.status === 'succeeded' || x.status === 'pending');
    return Math.max(
      p.amountRefunded,
      done.reduce((n, x) => n + x.amount, 0),
    );
  }

  list(scope: Scope, paymentId: string): Promise<RefundRow[]> {
    return store.listRefunds(this.deps.db, scope.tenantId, paymentId);
  }
}
