import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { ProviderError } from '../../../kernel/errors.js';
import type { Logger } from '../../../kernel/logging.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { DocumentService } from '../../documents/index.js';
import type { SendReceipt } from '../domain/channels.js';
import type { EmailRecipient, LetterRecipient, SmsRecipient } from '../domain/recipients.js';
import { MAX_ATTEMPTS, retryDelaySeconds } from '../domain/status.js';
import * as store from '../messages/store.js';
import type { CommunicationSettingsService } from '../settings/service.js';
import type { MessageRow } from '../tables.js';
import type { PreSendHook } from './hooks.js';
import type { TenantRateLimiter } from './rate-limit.js';

/** What became of one dispatch: done (sent, failed, blocked, or not ours any more), or try again later. */
export type DispatchOutcome = { kind: 'done' } | { kind: 'later'; seconds: number };

export interface DispatcherDeps {
  db: Db;
  resolver: ProviderResolver;
  documents: DocumentService;
  settings: CommunicationSettingsService;
  limiter: TenantRateLimiter;
  hooks: readonly PreSendHook[];
  logger: Logger;
  now: () => Date;
  /** Plinth's public URL: status callbacks name the config's webhook route on it. */
  publicUrl: string;
}

const SYSTEM: Scope['actor'] = { type: 'system', id: null };

/**
 * Sends one queued message: rate limit, pre-send rules, claim (queued → sending, one attempt more), the provider
 * call, then exactly one of sent, failed, or queued again for a transient failure. The claim is a conditional
 * update, so a message is never sent by two workers, and a failed send is never both sent and retried.
 */
export class Dispatcher {
  readonly #rates = new Map<string, { rate: number; until: number }>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** The tenant's send rate, read at most every five seconds. */
  async #rate(tenantId: string): Promise<number> {
    const hit = this.#rates.get(tenantId);
    const now = performance.now();
    if (hit && hit.until > now) return hit.rate;
    const rate = (await this.deps.settings.get(tenantId)).ratePerSecond;
    this.#rates.set(tenantId, { rate, until: now + 5000 });
    return rate;
  }

  async dispatch(tenantId: string, id: string): Promise<DispatchOutcome> {
    const { db, now } = this.deps;
    const found = await store.findMessage(db, tenantId, id);
    if (!found || found.status !== 'queued') return { kind: 'done' };
    if (found.nextAttemptAt && found.nextAttemptAt > now())
      return { kind: 'later', seconds: (found.nextAttemptAt.getTime() - now().getTime()) / 1000 };

    for (const hook of this.deps.hooks) {
      const d = await hook({ ...found, tenantId, recipient: found.recipient });
      if (d.action === 'block') {
        await this.#finish(found, ['queued'], 'undeliverable', d.reason, 'hook');
        return { kind: 'done' };
      }
      if (d.action === 'defer') {
        await db.transaction(async (tx) => {
          await store.move(tx, tenantId, id, ['queued'], 'queued', { nextAttemptAt: d.until });
          await store.insertEvent(tx, found, {
            status: 'queued',
            source: 'hook',
            reason: d.reason,
            at: now(),
          });
        });
        return { kind: 'later', seconds: Math.max(1, (d.until.getTime() - now().getTime()) / 1000) };
      }
    }

    const wait = this.deps.limiter.take(tenantId, await this.#rate(tenantId));
    if (wait > 0) return { kind: 'later', seconds: wait };

    const claimed = await store.claim(db, tenantId, id);
    if (!claimed) return { kind: 'done' };
    try {
      const receipt = await this.#send(claimed);
      await db.transaction(async (tx) => {
        // A status webhook may have overtaken the answer (it names the message by its custom args): keep it.
        const moved = await store.move(tx, tenantId, id, ['sending'], 'sent', {
          providerMessageId: receipt.providerMessageId,
          statusReason: null,
        });
        if (moved) await store.insertEvent(tx, moved, { status: 'sent', source: 'dispatch', at: now() });
        else await store.recordProviderId(tx, tenantId, id, receipt.providerMessageId);
      });
      return { kind: 'done' };
    } catch (e) {
      if (!(e instanceof ProviderError)) {
        // Not the provider's answer (a bug, the database): put it back for a later attempt.
        this.deps.logger.error({ err: e, messageId: id }, 'dispatch failed');
        await this.#retryOrFail(claimed, `internal error: ${(e as Error).message}`);
        return { kind: 'later', seconds: retryDelaySeconds(claimed.attempts) };
      }
      if (e.transient) {
        const seconds = await this.#retryOrFail(claimed, `${e.kind}: ${e.message}`, e.details.retryAfter);
        return seconds === undefined ? { kind: 'done' } : { kind: 'later', seconds };
      }
      await this.#finish(claimed, ['sending'], 'failed', `${e.kind}: ${e.message}`, 'dispatch');
      return { kind: 'done' };
    }
  }

  /** Queued again after a backoff, or failed once the attempts are used up: the seconds to wait, or undefined. */
  async #retryOrFail(m: MessageRow, reason: string, retryAfter?: number): Promise<number | undefined> {
    if (m.attempts >= MAX_ATTEMPTS) {
      await this.#finish(
        m,
        ['sending'],
        'failed',
        `gave up after ${m.attempts} attempts: ${reason}`,
        'dispatch',
      );
      return undefined;
    }
    const seconds = retryDelaySeconds(m.attempts, retryAfter);
    const at = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const moved = await store.move(tx, m.tenantId, m.id, ['sending'], 'queued', {
        statusReason: reason,
        nextAttemptAt: new Date(at.getTime() + seconds * 1000),
      });
      if (moved) await store.insertEvent(tx, m, { status: 'queued', source: 'dispatch', reason, at });
    });
    return seconds;
  }

  async #finish(
    m: MessageRow,
    from: MessageRow['status'][],
    to: 'failed' | 'undeliverable',
    reason: string,
    source: 'dispatch' | 'hook',
  ) {
    await this.deps.db.transaction(async (tx) => {
      const moved = await store.move(tx, m.tenantId, m.id, from, to, { statusReason: reason });
      if (moved) await store.insertEvent(tx, m, { status: to, source, reason, at: this.deps.now() });
    });
  }

  async #send(m: MessageRow): Promise<SendReceipt> {
    const { resolver } = this.deps;
    const configId = m.providerConfigId!;
    const missing = () =>
      new ProviderError('configuration', 'the provider config of this message was deleted', {
        provider: m.providerKey ?? undefined,
      });
    const content = m.content;
    switch (m.channel) {
      case 'email': {
        const p = await resolver.byId('email', configId, m.tenantId);
        if (!p) throw missing();
        const to = m.recipient as EmailRecipient;
        return p.instance.sendEmail({
          messageId: m.id,
          to: { email: to.email, name: to.name ?? null },
          subject: content.subject!,
          html: content.html!,
          text: content.text!,
        });
      }
      case 'sms': {
        const p = await resolver.byId('sms', configId, m.tenantId);
        if (!p) throw missing();
        return p.instance.sendSms({
          messageId: m.id,
          to: (m.recipient as SmsRecipient).phone,
          body: content.body!,
          statusCallback: new URL(`/v1/communications/webhooks/sms/${configId}`, this.deps.publicUrl).href,
        });
      }
      case 'letter': {
        const p = await resolver.byId('letter', configId, m.tenantId);
        if (!p) throw missing();
        const doc = await this.deps.documents.read({ tenantId: m.tenantId, actor: SYSTEM }, m.documentId!);
        if (!doc.ok)
          throw new ProviderError(
            doc.error.kind === 'unavailable' ? 'unavailable' : 'configuration',
            `the letter's PDF: ${doc.error.message}`,
          );
        const to = m.recipient as LetterRecipient;
        return p.instance.sendLetter({
          messageId: m.id,
          to: { name: to.name, ...to.address },
          pdf: doc.value.bytes,
          idempotencyKey: m.id,
          description: m.templateKey,
        });
      }
    }
  }
}
