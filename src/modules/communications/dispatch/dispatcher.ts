import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { ProviderError } from '../../../kernel/errors.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Failure } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { DocumentService } from '../../documents/index.js';
import type { SendReceipt } from '../domain/channels.js';
import type { EmailRecipient, LetterRecipient, SmsRecipient } from '../domain/recipients.js';
import { MAX_ATTEMPTS, retryDelaySeconds } from '../domain/status.js';
import * as store from '../messages/store.js';
import type { CommunicationSettingsService } from '../settings/service.js';
import type { MessageRow } from '../tables.js';
import type { PreSendHook } from './hooks.js';
import { eachLimited } from './limited.js';
import type { TenantRateLimiter } from './rate-limit.js';

/** What a drain of a tenant's outbox did, and when to look again (a backoff, a deferral, the rate limit). */
export interface DrainOutcome {
  sent: number;
  /** Seconds until the next queued message falls due; undefined when none is waiting. */
  laterSeconds?: number;
}

export interface DrainOptions {
  /** Messages claimed per round. */
  batch: number;
  /** Provider calls in flight at once. */
  concurrency: number;
  /** Stop after this many rounds (the one-at-a-time baseline drains one message). */
  rounds?: number;
}

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

/** A stored document the message needs could not be read: transient when storage is down, else final. */
const documentError = (f: Failure, what: string) =>
  new ProviderError(f.kind === 'unavailable' ? 'unavailable' : 'configuration', `${what}: ${f.message}`);

/**
 * Sends a tenant's queued messages: claim a batch (queued → sending, one attempt more, as many as the tenant's rate
 * allows), run the pre-send rules, call the providers with bounded concurrency, then record each message exactly
 * once: the accepted ones as `sent` in one statement, the rest `failed`, or queued again after a backoff when the
 * failure was transient. The claim is a conditional update (SKIP LOCKED), so no message is sent by two workers,
 * and a failed send is never both sent and retried.
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

  async drain(tenantId: string, opts: DrainOptions): Promise<DrainOutcome> {
    const { db, now, limiter } = this.deps;
    let sent = 0;
    for (let round = 0; opts.rounds === undefined || round < opts.rounds; round++) {
      const tokens = limiter.take(tenantId, await this.#rate(tenantId), opts.batch);
      if (tokens.granted === 0) return { sent, laterSeconds: tokens.waitSeconds };
      const claimed = await store.claimBatch(db, tenantId, tokens.granted, now());
      if (claimed.length < tokens.granted) limiter.refund(tenantId, tokens.granted - claimed.length);
      if (claimed.length === 0) break;
      const accepted: { id: string; providerMessageId: string }[] = [];
      await eachLimited(claimed, opts.concurrency, async (m) => {
        const receipt = await this.#one(m);
        if (receipt) accepted.push({ id: m.id, providerMessageId: receipt.providerMessageId });
      });
      await store.markSent(db, tenantId, accepted, now());
      sent += accepted.length;
    }
    const due = await store.nextDue(db, tenantId);
    return { sent, laterSeconds: due && Math.max(0, (due.getTime() - now().getTime()) / 1000) };
  }

  /** One claimed message: the pre-send rules, then the provider call; the receipt when the provider took it. */
  async #one(m: MessageRow): Promise<SendReceipt | undefined> {
    const { db, now } = this.deps;
    for (const hook of this.deps.hooks) {
      const d = await hook({ ...m, recipient: m.recipient, attempts: m.attempts - 1 });
      if (d.action === 'block') {
        await this.#finish(m, 'undeliverable', d.reason, 'hook');
        return undefined;
      }
      if (d.action === 'defer') {
        // A deferral is not an attempt: the claim's attempt is given back.
        await db.transaction(async (tx) => {
          const moved = await store.move(tx, m.tenantId, m.id, ['sending'], 'queued', {
            nextAttemptAt: d.until,
            attempts: m.attempts - 1,
            statusReason: d.reason,
          });
          if (moved)
            await store.insertEvent(tx, m, { status: 'queued', source: 'hook', reason: d.reason, at: now() });
        });
        return undefined;
      }
    }
    try {
      return await this.#send(m);
    } catch (e) {
      if (!(e instanceof ProviderError)) {
        // Not the provider's answer (a bug, the database): put it back for a later attempt.
        this.deps.logger.error({ err: e, messageId: m.id }, 'dispatch failed');
        await this.#retryOrFail(m, `internal error: ${(e as Error).message}`);
      } else if (e.transient) await this.#retryOrFail(m, `${e.kind}: ${e.message}`, e.details.retryAfter);
      else await this.#finish(m, 'failed', `${e.kind}: ${e.message}`, 'dispatch');
      return undefined;
    }
  }

  /** Queued again after a backoff (the drain names when it falls due), or failed once the attempts are used up. */
  async #retryOrFail(m: MessageRow, reason: string, retryAfter?: number): Promise<void> {
    if (m.attempts >= MAX_ATTEMPTS) {
      await this.#finish(m, 'failed', `gave up after ${m.attempts} attempts: ${reason}`, 'dispatch');
      return;
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
  }

  async #finish(m: MessageRow, to: 'failed' | 'undeliverable', reason: string, source: 'dispatch' | 'hook') {
    await this.deps.db.transaction(async (tx) => {
      const moved = await store.move(tx, m.tenantId, m.id, ['sending'], to, { statusReason: reason });
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
        const attachments = [];
        for (const id of m.attachmentIds) {
          const doc = await this.deps.documents.read({ tenantId: m.tenantId, actor: SYSTEM }, id);
          if (!doc.ok) throw documentError(doc.error, 'an attachment');
          const d = doc.value.document;
          attachments.push({
            filename: d.filename ?? `${d.id}`,
            contentType: d.contentType,
            content: doc.value.bytes,
          });
        }
        return p.instance.sendEmail({
          messageId: m.id,
          to: { email: to.email, name: to.name ?? null },
          subject: content.subject!,
          html: content.html!,
          text: content.text!,
          attachments,
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
        if (!doc.ok) throw documentError(doc.error, "the letter's PDF");
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
