import PgBoss from 'pg-boss';
import type { Database } from './db.js';
import type { Logger } from './logging.js';

export interface Job<T> {
  id: string;
  data: T;
}

export interface SendOptions {
  /** At most one queued job with this key at a time (e.g. one close of business per tenant and date). */
  singletonKey?: string;
  startAfterSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
}

/**
 * Background work on a PostgreSQL-backed queue (pg-boss), so several worker processes can share it. It runs on the
 * same database as everything else, PGlite included, where the embedded default works in process.
 */
export interface WorkOptions {
  batchSize?: number;
  pollingIntervalSeconds?: number;
  /** After a handled batch, fetch again at once instead of waiting the polling interval. */
  drain?: boolean;
}

export interface JobQueue {
  send<T extends object>(queue: string, data: T, opts?: SendOptions): Promise<string | null>;
  work<T>(queue: string, handler: (jobs: Job<T>[]) => Promise<void>, opts?: WorkOptions): Promise<void>;
  schedule(queue: string, cron: string, data?: object, timeZone?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobQueue(database: Database, logger: Logger): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.raw.query(text, values) },
    schema: 'pgboss',
  });
  boss.on('error', (e) => logger.error({ err: e }, 'job queue error'));
  await boss.start();
  const created = new Set<string>();
  // This process's workers per queue: a job sent from here wakes them at once (other processes poll).
  const local = new Map<string, string[]>();
  const wake = (queue: string) => {
    for (const id of local.get(queue) ?? []) boss.notifyWorker(id);
  };
  const ensure = async (queue: string) => {
    if (created.has(queue)) return;
    // Processes that start together create the same queues at once, and two creations of one queue can deadlock
    // in pg-boss: the one PostgreSQL aborts tries again and finds the queue made.
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(queue);
        break;
      } catch (e) {
        if (attempt >= 5 || (e as { code?: unknown }).code !== '40P01') throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
      }
    }
    created.add(queue);
  };
  return {
    async send(queue, data, opts = {}) {
      await ensure(queue);
      // pg-boss rejects options present but undefined.
      const options = Object.fromEntries(
        Object.entries({
          singletonKey: opts.singletonKey,
          startAfter: opts.startAfterSeconds,
          retryLimit: opts.retryLimit,
          retryDelay: opts.retryDelaySeconds,
          retryBackoff: opts.retryBackoff,
        }).filter(([, v]) => v !== undefined),
      );
      const id = await boss.send(queue, data, options);
      if (opts.startAfterSeconds === undefined) wake(queue);
      return id;
    },
    async work(queue, handler, opts = {}) {
      await ensure(queue);
      let workerId = '';
      workerId = await boss.work(
        queue,
        { batchSize: opts.batchSize ?? 1, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
        async (jobs) => {
          try {
            await handler(jobs.map((j) => ({ id: j.id, data: j.data as never })));
          } finally {
            if (opts.drain) boss.notifyWorker(workerId);
          }
        },
      );
      local.set(queue, [...(local.get(queue) ?? []), workerId]);
    },
    async schedule(queue, cron, data, timeZone) {
      await ensure(queue);
      await boss.schedule(queue, cron, data ?? {}, { tz: timeZone ?? 'UTC' });
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
