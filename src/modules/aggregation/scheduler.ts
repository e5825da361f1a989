import type { JobQueue } from '../../kernel/jobs.js';
import type { Logger } from '../../kernel/logging.js';
import type { SyncService } from './sync.js';

/**
 * Scheduled syncs on the job queue: every five minutes a sweep finds the active connections whose next sync is due
 * and queues one job per connection (a singleton per connection, so a slow sync is not queued twice). Each job
 * runs a `scheduled` sync; its outcome, failures included, is recorded on the sync run, and the connection's
 * `next_sync_at` moves on (a day later, or sooner after a transient failure).
 */
export const SYNC_SWEEP_QUEUE = 'aggregation-sync-sweep';
export const SYNC_CONNECTION_QUEUE = 'aggregation-sync-connection';

export interface SyncJob {
  tenant_id: string;
  connection_id: string;
}

export async function enqueueDueSyncs(jobs: JobQueue, sync: SyncService): Promise<number> {
  const due = await sync.dueConnections();
  for (const c of due)
    await jobs.send<SyncJob>(
      SYNC_CONNECTION_QUEUE,
      { tenant_id: c.tenantId, connection_id: c.id },
      { singletonKey: `${c.tenantId}:${c.id}`, retryLimit: 0 },
    );
  return due.length;
}

export async function registerSyncWorkers(jobs: JobQueue, sync: SyncService, logger: Logger): Promise<void> {
  await jobs.work<SyncJob>(SYNC_CONNECTION_QUEUE, async (batch) => {
    for (const job of batch) await sync.runScheduled(job.data.tenant_id, job.data.connection_id);
  });
  await jobs.work(SYNC_SWEEP_QUEUE, async () => {
    const n = await enqueueDueSyncs(jobs, sync);
    if (n > 0) logger.info({ connections: n }, 'scheduled syncs queued');
  });
  await jobs.schedule(SYNC_SWEEP_QUEUE, '*/5 * * * *');
}
