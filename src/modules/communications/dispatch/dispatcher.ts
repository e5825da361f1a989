import type { Db } from '../../../kernel/db.js';
import { ProviderError } from '../../../kernel/errors.js';
import type { Logger } from '../../../kernel/logging.js';
import { MAX_ATTEMPTS, retryDelaySeconds } from '../domain/status.js';
import type { DispatchOutcome } from '../messages/store.js';
import * as store from '../messages/store.js';
import { DEFAULT_RATE_PER_SECOND } from '../settings/service.js';
import type { MessageRow } from '../tables.js';
import type { PreSendHook } from './hooks.js';
import { type SendDeps, sendMessage } from './send.js';

/** What a drain of a tenant's outbox did, and when to look again (a backoff, a deferral, the rate limit). */
export interface DrainOutcome {
  sent: number;
  /** Seconds until the next queued message falls due; undefined when none is waiting. */
  laterSeconds?: number;
}

export interface DrainOptions {
  /** Messages claimed at once. */
  batch: number;
  /** Provider calls in flight at once. */
  concurrency: number;
  /** Stop after this many claims (the one-at-a-time baseline drains one message). */
  rounds?: number;
}

export interface DispatcherDeps extends SendDeps {
  db: Db;
  hooks: readonly PreSendHook[];
  logger: Logger;
  now: () => Date;
}

/**
 * Sends a tenant's queued messages. A claim moves a batch queued → sending (one attempt more each, as many as the
 * tenant's rate allows: a token bucket in the database, shared by every process) in one statement that skips rows
 * another worker holds, so no message is sent by two workers. Each claimed message gets the pre-send rules and one provider call, and its outcome (sent, queued
 * again after a backoff when the failure was transient, failed, undeliverable) is recorded exactly once, by a
 * statement that moves only messages still `sending`: a failed send is never both sent and retried.
 */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /**
   * Drains the tenant's outbox as a pipeline, so neither the database nor the provider waits on the other:
   * `concurrency` lanes each take the next claimed message and send it; when half a batch or less is waiting, one
   * claim of up to `batch` more runs while the lanes go on sending; outcomes are recorded by one statement at a
   * time, each taking every outcome that arrived while the previous one ran (under load a statement records
   * dozens; a lone message is recorded at once). Ends when a claim finds nothing more due.
   */
  async drain(tenantId: string, opts: DrainOptions): Promise<DrainOutcome> {
    const { db, now } = this.deps;
    const waiting: MessageRow[] = [];
    let claims = 0;
    let exhausted = false;
    let rateWaitSeconds: number | undefined;
    let claiming: Promise<void> | undefined;
    let failure: unknown;

    const claim = async () => {
      claims++;
      const c = await store.claimBatch(db, tenantId, opts.batch, now(), DEFAULT_RATE_PER_SECOND);
      if (c.rateWaitSeconds !== undefined) rateWaitSeconds = c.rateWaitSeconds;
      if (c.drained) exhausted = true;
      waiting.push(...c.messages);
    };
    const wantClaim = () =>
      !exhausted &&
      claiming === undefined &&
      failure === undefined &&
      (opts.rounds === undefined || claims < opts.rounds) &&
      waiting.length <= opts.batch / 2;

    const outcomes: DispatchOutcome[] = [];
    let recording: Promise<void> | undefined;
    let sent = 0;
    const record = () => {
      if (recording || outcomes.length === 0) return;
      const batch = outcomes.splice(0);
      recording = store
        .recordOutcomes(db, tenantId, batch, now())
        .then(
          () => {
            sent += batch.filter((o) => o.status === 'sent').length;
          },
          (e) => {
            failure ??= e;
          },
        )
        .finally(() => {
          recording = undefined;
          record();
        });
    };

    const lane = async () => {
      for (;;) {
        if (wantClaim())
          claiming = claim()
            .catch((e) => {
              failure ??= e;
            })
            .finally(() => {
              claiming = undefined;
            });
        const m = waiting.shift();
        if (!m) {
          if (!claiming) return;
          await claiming;
          continue;
        }
        outcomes.push(await this.#attempt(m));
        record();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, lane));
    record();
    while (recording) await recording;
    // A claim or a record that failed leaves its messages as they were (queued, or sending for a restart's
    // resume to settle); the job is retried.
    if (failure !== undefined) throw failure;
    if (rateWaitSeconds !== undefined) return { sent, laterSeconds: rateWaitSeconds };
    const due = await store.nextDue(db, tenantId);
    return { sent, laterSeconds: due && Math.max(0, (due.getTime() - now().getTime()) / 1000) };
  }

  /** One claimed message: the pre-send rules, then the provider call; what became of it. */
  async #attempt(m: MessageRow): Promise<DispatchOutcome> {
    try {
      for (const hook of this.deps.hooks) {
        const d = await hook({ ...m, recipient: m.recipient, attempts: m.attempts - 1 });
        if (d.action === 'block')
          return { id: m.id, status: 'undeliverable', reason: d.reason, source: 'hook' };
        // A deferral is not an attempt: the claim's attempt is given back.
        if (d.action === 'defer')
          return {
            id: m.id,
            status: 'queued',
            reason: d.reason,
            nextAttemptAt: d.until,
            giveBackAttempt: true,
            source: 'hook',
          };
      }
      const receipt = await sendMessage(this.deps, m);
      return { id: m.id, status: 'sent', providerMessageId: receipt.providerMessageId };
    } catch (e) {
      if (!(e instanceof ProviderError)) {
        // Not the provider's answer (a bug, the database, a rule that threw): back for a later attempt.
        this.deps.logger.error({ err: e, messageId: m.id }, 'dispatch failed');
        return this.#retryOrFail(m, `internal error: ${(e as Error).message}`);
      }
      if (e.transient) return this.#retryOrFail(m, `${e.kind}: ${e.message}`, e.details.retryAfter);
      return { id: m.id, status: 'failed', reason: `${e.kind}: ${e.message}`, source: 'dispatch' };
    }
  }

  /** Queued again after a backoff (the drain names when it falls due), or failed once the attempts are used up. */
  #retryOrFail(m: MessageRow, reason: string, retryAfter?: number): DispatchOutcome {
    if (m.attempts >= MAX_ATTEMPTS)
      return {
        id: m.id,
        status: 'failed',
        reason: `gave up after ${m.attempts} attempts: ${reason}`,
        source: 'dispatch',
      };
    const seconds = retryDelaySeconds(m.attempts, retryAfter);
    return {
      id: m.id,
      status: 'queued',
      reason,
      nextAttemptAt: new Date(this.deps.now().getTime() + seconds * 1000),
      giveBackAttempt: false,
      source: 'dispatch',
    };
  }
}
