import type { Job, JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Worker } from '../../platform.js';
import type { SyncService } from './service.js';

/**
 * Scheduled syncs on the job queue: every five minutes a sweep finds the active connections whose next sync is due
 * and queues one job per connection (a singleton per connection, so a slow sync is not queued twice). Each job
 * runs a `scheduled` sync; its outcome, failures included, is recorded on the sync run, and the connection's
 * `next_sync_at` moves on (a day later, or sooner after a transient failure).
 */
export const SYNC_SWEEP_QUEUE = 'aggregation.sync-sweep';
export const SYNC_CONNECTION_QUEUE = 'aggregation.sync-connection';

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

/** The sweep (every five minutes) and the per-connection sync jobs it queues. */
export function syncWorkers(jobs: JobQueue | undefined, sync: SyncService, logger: Logger): Worker[] {
  if (!jobs) return [];
  return [
    {
      queue: SYNC_CONNECTION_QUEUE,
      handle: async (batch) => {
        for (const job of batch as Job<SyncJob>[])
          await sync.runScheduled(job.data.tenant_id, job.data.connection_id);
      },
    },
    {
      queue: SYNC_SWEEP_QUEUE,
      schedule: '*/5 * * * *',
      handle: async () => {
        const n = await enqueueDueSyncs(jobs, sync);
        if (n > 0) logger.info({ connections: n }, 'scheduled syncs queued');
      },
    },
  ];
}
