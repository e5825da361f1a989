import type { Db } from '../../../kernel/db.js';
import type { Job, JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Worker } from '../../platform.js';
import * as store from '../messages/store.js';
import type { Dispatcher } from './dispatcher.js';

export const DISPATCH_QUEUE = 'communications.dispatch';

export interface DispatchJob {
  tenant_id: string;
  message_id: string;
}

/** Sends at most this many messages at once per worker: the bound on concurrent provider calls. */
export const DISPATCH_CONCURRENCY = 32;

/** Runs `work` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (t: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** A message left `sending` this long was interrupted mid-send (the process stopped). */
const STUCK_MS = 10 * 60_000;

/**
 * The outbox's worker: takes batches of dispatch jobs, sends them with bounded concurrency, and queues again (with
 * the delay the dispatcher asks for) what must wait: a backoff, a deferral, the tenant's rate limit.
 */
export function dispatchWorker(deps: {
  db: Db;
  jobs: JobQueue;
  dispatcher: Dispatcher;
  logger: Logger;
  now: () => Date;
}): Worker<DispatchJob> {
  const { db, jobs, dispatcher, logger, now } = deps;
  const later = (data: DispatchJob, seconds: number) =>
    jobs.send(DISPATCH_QUEUE, data, { startAfterSeconds: Math.max(1, Math.ceil(seconds)) });
  return {
    queue: DISPATCH_QUEUE,
    options: { batchSize: 64, pollingIntervalSeconds: 0.5, drain: true },
    async handle(batch: Job<DispatchJob>[]) {
      await eachLimited(batch, DISPATCH_CONCURRENCY, async ({ data }) => {
        const outcome = await dispatcher.dispatch(data.tenant_id, data.message_id);
        if (outcome.kind === 'later') await later(data, outcome.seconds);
      });
    },
    /**
     * After a restart: queued messages get a job again (a lost job never strands one; a duplicate is harmless,
     * the claim sends once). A message left `sending` is resent only where the provider takes an idempotency key
     * (letters); an e-mail or SMS may have gone, so it fails with that reason rather than risk sending twice.
     */
    async resume() {
      for (const m of await store.dueMessages(db, now(), 10_000))
        await jobs.send(DISPATCH_QUEUE, { tenant_id: m.tenantId, message_id: m.id });
      for (const m of await store.stuckSending(db, new Date(now().getTime() - STUCK_MS), 1000)) {
        const retry = m.channel === 'letter';
        await db.transaction(async (tx) => {
          const reason = retry
            ? 'interrupted mid-send; resent with the same idempotency key'
            : 'interrupted mid-send; not resent, it may have gone';
          const moved = await store.move(tx, m.tenantId, m.id, ['sending'], retry ? 'queued' : 'failed', {
            statusReason: reason,
          });
          if (moved)
            await store.insertEvent(tx, m, { status: moved.status, source: 'dispatch', reason, at: now() });
        });
        if (retry) await jobs.send(DISPATCH_QUEUE, { tenant_id: m.tenantId, message_id: m.id });
        else logger.warn({ messageId: m.id }, 'message interrupted mid-send marked failed');
      }
    },
  };
}
