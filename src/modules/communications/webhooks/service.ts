import type { Db } from '../../../kernel/db.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { DeliveryEvent, InboundWebhook, WebhookReceiver } from '../domain/channels.js';
import { advances } from '../domain/status.js';
import * as store from '../messages/store.js';
import type { PreferenceService } from '../preferences/service.js';

export const WEBHOOK_CHANNELS = ['email', 'sms', 'letter'] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

export interface WebhookSummary {
  /** Events that moved a message. */
  applied: number;
  /** Repeats, late events and events for messages Plinth does not know. */
  ignored: number;
  opt_outs: number;
}

/**
 * Delivery-status webhooks, one URL per provider config (`/v1/communications/webhooks/{channel}/{config id}`):
 * the provider that sent the messages verifies the signature, then each event is recorded once (its event id is
 * unique per message) and moves its message forward only, so repeats and late arrivals change nothing.
 */
export class WebhookService {
  constructor(
    private readonly deps: { db: Db; resolver: ProviderResolver; preferences: PreferenceService },
  ) {}

  async receive(
    channel: WebhookChannel,
    configId: string,
    req: InboundWebhook,
  ): Promise<Result<WebhookSummary>> {
    const resolved = isUuid(configId) ? await this.deps.resolver.byId(channel, configId) : undefined;
    const receiver = resolved?.instance as Partial<WebhookReceiver> | undefined;
    if (!resolved || !receiver?.verifyWebhook || !receiver.parseWebhook)
      return err(failure('not_found', 'webhook_not_found', 'no webhook for this provider config'));
    if (!receiver.verifyWebhook(req))
      return err(failure('unauthorized', 'invalid_signature', 'the webhook signature does not verify'));
    let parsed: ReturnType<WebhookReceiver['parseWebhook']>;
    try {
      parsed = receiver.parseWebhook(req);
    } catch (e) {
      return err(
        failure('invalid', 'malformed_webhook', `the webhook body cannot be read: ${(e as Error).message}`),
      );
    }
    const summary: WebhookSummary = { applied: 0, ignored: 0, opt_outs: 0 };
    const { tenantId } = resolved;
    for (const event of parsed.deliveries) {
      if (await this.#apply(tenantId, configId, event)) summary.applied++;
      else summary.ignored++;
    }
    for (const o of parsed.optOuts) {
      await this.deps.preferences.record(this.deps.db, tenantId, o);
      summary.opt_outs++;
    }
    return ok(summary);
  }

  async #apply(tenantId: string, configId: string, e: DeliveryEvent): Promise<boolean> {
    if (e.messageId && !isUuid(e.messageId)) return false;
    return this.deps.db.transaction(async (tx) => {
      const m = await store.lockForEvent(tx, tenantId, configId, e);
      if (!m) return false;
      const moves = advances(m.status, e.status);
      // Recorded once per vendor event id, whether it moves the message or arrived too late to.
      const fresh = await store.insertEvent(tx, m, {
        status: e.status,
        source: 'webhook',
        reason: moves
          ? e.reason
          : `${e.reason ? `${e.reason}; ` : ''}not applied: the message is ${m.status}`,
        providerEventId: e.eventId,
        at: e.occurredAt,
      });
      if (!fresh || !moves) return false;
      await store.move(tx, tenantId, m.id, [m.status], e.status, {
        statusReason: e.reason ?? null,
        ...(e.providerMessageId && !m.providerMessageId && { providerMessageId: e.providerMessageId }),
      });
      return true;
    });
  }
}
