import type { Db } from '../../../kernel/db.js';
import type { Job, JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Worker } from '../../platform.js';
import * as store from '../messages/store.js';
import type { Dispatcher } from './dispatcher.js';

export const DISPATCH_QUEUE = 'communications.dispatch';

/** A wake-up for a tenant's outbox: the worker sends whatever of the tenant's messages is due. */
export interface DispatchJob {
  tenant_id: string;
}

/** Provider calls in flight at once per worker: the bound on concurrency. */
export const DISPATCH_CONCURRENCY = 32;
/** Messages claimed per round. */
export const DISPATCH_BATCH = 64;

/** A message left `sending` this long was interrupted mid-send (the process stopped). */
const STUCK_MS = 10 * 60_000;

/**
 * The outbox's worker. Every new message sends a job naming its tenant; a batch of jobs drains each tenant named
 * once (claims of up to DISPATCH_BATCH messages, DISPATCH_CONCURRENCY provider calls at a time), and what must
 * wait (a backoff, a deferral, the tenant's rate limit) gets a job that starts when it falls due.
 */
export function dispatchWorker(deps: {
  db: Db;
  jobs: JobQueue;
  dispatcher: Dispatcher;
  logger: Logger;
  now: () => Date;
}): Worker<DispatchJob> {
  const { db, jobs, dispatcher, logger, now } = deps;
  const wake = (tenantId: string, seconds?: number) =>
    jobs.send(
      DISPATCH_QUEUE,
      { tenant_id: tenantId },
      seconds ? { startAfterSeconds: Math.max(1, Math.ceil(seconds)) } : {},
    );
  return {
    queue: DISPATCH_QUEUE,
    options: { batchSize: 256, pollingIntervalSeconds: 0.5, drain: true },
    async handle(batch: Job<DispatchJob>[]) {
      const tenants = [...new Set(batch.map((j) => j.data.tenant_id))];
      await Promise.all(
        tenants.map(async (tenantId) => {
          const outcome = await dispatcher.drain(tenantId, {
            batch: DISPATCH_BATCH,
            concurrency: DISPATCH_CONCURRENCY,
          });
          // At least a second: rows another worker holds are due now, and must not make this one spin.
          if (outcome.laterSeconds !== undefined) await wake(tenantId, Math.max(1, outcome.laterSeconds));
        }),
      );
    },
    /**
     * After a restart: every tenant with queued messages is woken (a lost job never strands one). A message left
     * `sending` is resent only where the provider takes an idempotency key (letters); an e-mail or SMS may have
     * gone, so it fails with that reason rather than risk sending twice.
     */
    async resume() {
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
        if (!retry) logger.warn({ messageId: m.id }, 'message interrupted mid-send marked failed');
      }
      for (const tenantId of await store.tenantsWithQueued(db)) await wake(tenantId);
    },
  };
}
