import type { Db } from '../../../kernel/db.js';
import type { Logger } from '../../../kernel/logging.js';
import type { PaymentMethodService } from '../payment-methods/service.js';
import type { Processors } from '../processors.js';
import type { PaymentRow } from '../tables.js';
import type { Calls } from './calls.js';
import type { RefundService } from './refunds.js';
import { callContext, systemScope } from './requests.js';
import * as store from './store.js';

/** A refund unanswered this long is sent again (a request still in flight gets the time to finish). */
const REFUND_RESEND_AFTER_MS = 60_000;
const BATCH = 100;

/**
 * Resolves what Plinth does not know yet, from the processor's own view (`retrieve`): a charge whose answer never
 * came (a timeout, or a process killed between the call and its finalization), a capture or void under way, a bank
 * debit that may settle or come back, a refund unanswered. It never charges twice: a charge is only sent again
 * when the processor has no record of it and its reference is still inside the processor's replay window, and a
 * capture, void or refund is sent again with the same reference, which the processor answers with its first
 * outcome.
 */
export class Reconciler {
  constructor(
    private readonly deps: {
      processors: Processors;
      methods: PaymentMethodService;
      calls: Calls;
      refunds: RefundService;
      db: Db;
      logger: Logger;
      now: () => Date;
    },
  ) {}

  /** One pass over what is due; answers how many payments and refunds it looked at. */
  async run(): Promise<{ payments: number; refunds: number }> {
    const now = this.deps.now();
    const due = await store.dueForCheck(this.deps.db, now, BATCH);
    for (const p of due) await this.#guard(p, () => this.check(p));
    const refunds = await store.refundsToResend(
      this.deps.db,
      new Date(now.getTime() - REFUND_RESEND_AFTER_MS),
      BATCH,
    );
    for (const r of refunds) {
      const p = await store.findPayment(this.deps.db, r.tenantId, r.paymentId);
      if (p) await this.#guard(p, () => this.deps.refunds.resend(systemScope(p.tenantId), p, r));
    }
    return { payments: due.length, refunds: refunds.length };
  }

  /** Brings one payment up to date with the processor. */
  async check(p: PaymentRow): Promise<PaymentRow> {
    const scope = systemScope(p.tenantId);
    const { processor, method } = await callContext(this.deps, scope, p);
    if (p.operation === 'capture' || p.operation === 'void')
      return this.deps.calls.resend(scope, p, processor, method, 'reconciler');
    return this.deps.calls.lookUp(scope, p, processor, method, 'reconciler');
  }

  async #guard(p: PaymentRow, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.deps.logger.warn(
        { err: e, tenantId: p.tenantId, paymentId: p.id },
        'payments: reconciling failed; retried later',
      );
    }
  }
}
