import type { IncomingHttpHeaders } from 'node:http';
import type { Db } from '../../../kernel/db.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import { factsOfView } from '../domain/states.js';
import type { PaymentMethodService } from '../payment-methods/service.js';
import type { PaymentRecorder } from '../payments/recorder.js';
import { refOf, systemScope } from '../payments/requests.js';
import { findByProcessorId } from '../payments/store.js';
import * as store from './store.js';

export interface WebhookOutcome {
  /** Already handled: a redelivery changes nothing. */
  duplicate: boolean;
  /** The Plinth payment it concerned, if any. */
  paymentId: string | null;
}

/**
 * A processor's webhook: the signature is verified over the raw body with the config's secret (401, nothing
 * recorded, when it does not verify); the event only says WHICH payment changed, and the payment's state is then
 * read from the processor (`retrieve`) and merged (domain/states.ts). So a delivery repeated, or out of order (the
 * return before the settlement), changes the payment once and leaves it in the processor's latest state.
 */
export class WebhookService {
  constructor(
    private readonly deps: {
      db: Db;
      resolver: ProviderResolver;
      methods: PaymentMethodService;
      recorder: PaymentRecorder;
      now: () => Date;
    },
  ) {}

  async receive(
    configId: string,
    raw: Buffer,
    headers: IncomingHttpHeaders,
  ): Promise<Result<WebhookOutcome>> {
    const resolved = isUuid(configId)
      ? await this.deps.resolver.byId('payment_processor', configId)
      : undefined;
    if (!resolved) return err(failure('not_found', 'not_found', 'no payment processor config with this id'));
    const processor = resolved.instance;
    const event = processor.parseWebhook(raw, headers, this.deps.now());
    if (!event.ok) return event;
    const tenantId = resolved.tenantId;
    const e = event.value;
    if (await store.seen(this.deps.db, tenantId, configId, e.id))
      return ok({ duplicate: true, paymentId: null });
    const payment = e.processorId
      ? await findByProcessorId(this.deps.db, tenantId, configId, e.processorId)
      : undefined;
    if (payment) {
      const scope = systemScope(tenantId);
      const method = await this.deps.methods.get(scope, payment.paymentMethodId);
      if (!method.ok) throw new Error(`payment ${payment.id}: its payment method is gone`);
      const view = await processor.retrieve(refOf(payment, method.value));
      if (view)
        await this.deps.recorder.record(
          scope,
          payment,
          {
            seen: factsOfView(view, e.dispute),
            ...(view.decline && { decline: view.decline }),
            ...(view.returnCode && { returnCode: view.returnCode }),
            detail: { event: e.id, type: e.type },
          },
          'webhook',
        );
    }
    // Recorded once handled: a delivery that failed half-way is handled again when the processor redelivers it.
    await store.remember(this.deps.db, {
      tenantId,
      providerConfigId: configId,
      eventId: e.id,
      type: e.type,
      processorId: e.processorId,
      paymentId: payment?.id ?? null,
    });
    return ok({ duplicate: false, paymentId: payment?.id ?? null });
  }
}
