import { sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import { addDays, type CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { publishEvents } from '../../../kernel/events.js';
import { nameUuid } from '../../../kernel/ids.js';
import type { JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { Worker } from '../../platform.js';
import type { BusinessDateService } from '../business-date/service.js';
import { findBusinessDate, setBusinessDate } from '../business-date/store.js';
import { type DayClosedPayload, LENDING_EVENTS } from '../events/published.js';
import type { CobStep } from '../product.js';
import type { CobRunRow } from '../tables.js';
import * as store from './store.js';

export const COB_BATCH_QUEUE = 'lending.close-of-business-batch';

export interface BatchJob {
  tenantId: string;
  date: CalendarDate;
  batch: number;
}

/**
 * Close of business. Closing day D, for one tenant:
 *  1. day start (one transaction): the business date moves from D to D + 1, a `cob_runs` row records the day, and
 *     the loans close of business visits are split into batches of consecutive ids (`cob_batches`);
 *  2. each batch (one transaction, one pg-boss job): locks its loans, runs every product's set-based steps for D
 *     over the batch's id range, and marks itself done; a batch already done is skipped, so a retried or duplicated
 *     job does nothing;
 *  3. the batch that finds none pending completes the day, and the next day starts while the requested date is
 *     not closed yet.
 * Days are closed in order, and a crash leaves pending batches that `resume` sends again. Without a job queue
 * (tests, one-off tools) the same steps run in this process, in order.
 */
export class CloseOfBusinessService {
  readonly #dayOpened: ((tenantId: string, businessDate: CalendarDate) => Promise<void>)[] = [];

  constructor(
    private readonly deps: {
      db: Db;
      logger: Logger;
      audit: AuditWriter;
      businessDates: BusinessDateService;
      steps: () => readonly CobStep[];
      batchSize: number;
      /** The most days one request may close past the business date. */
      maxDays: number;
      queue?: JobQueue;
      /** Woken when a day closed (its event is published with the day's completion). */
      events?: { wake(): void };
      /** Where each loan stands as a business date opens, recorded with the completion of the day before. */
      positions?: { record(tenantId: string, asOf: CalendarDate, db: Db): Promise<unknown> };
    },
  ) {}

  /**
   * `listener` is told each new business date once the day before it is closed (the payments module's autopay
   * collects what falls due on it). A listener's failure is logged; the close of business goes on.
   */
  onDayOpened(listener: (tenantId: string, businessDate: CalendarDate) => Promise<void>): void {
    this.#dayOpened.push(listener);
  }

  /**
   * Closes every day from the business date through `through`. A date already closed is a no-op (it returns its
   * run); a request while a run is under way extends it.
   */
  async request(scope: Scope, through: CalendarDate): Promise<Result<store.RunProgress[]>> {
    const { db } = this.deps;
    const today = await this.deps.businessDates.ensure(scope.tenantId);
    const unfinished = (await store.unfinishedRuns(db, scope.tenantId))[0];
    const last = addDays(today, this.deps.maxDays - 1);
    if (through > last)
      return err(
        failure(
          'unprocessable',
          'too_many_days',
          `one request closes at most ${this.deps.maxDays} days (PLINTH_COB_MAX_DAYS): through ${last}`,
          { fields: [{ path: 'date', message: `at most ${last} while the business date is ${today}` }] },
        ),
      );
    if (unfinished || through >= today)
      await this.deps.audit(db, scope, {
        action: 'close_of_business.requested',
        entityType: 'close_of_business',
        entityId: null,
        changes: { through_date: through, business_date: today },
      });
    if (unfinished) {
      // A day is under way (or failed): extend the request and make sure its batches are being worked on.
      if (through > unfinished.throughDate)
        await store.updateRun(db, scope.tenantId, unfinished.businessDate, { throughDate: through });
      await this.#resumeRun(unfinished);
    } else if (through >= today) await this.#startDay(scope.tenantId, today, through);
    const from = unfinished?.businessDate ?? (through < today ? through : today);
    const runs = await store.listRuns(db, scope.tenantId, { from, to: through, limit: 1000 });
    // A date before the business date is closed when its run exists; one without a run was passed by setting
    // the business date, and no close of business will ever run for it: say so, never answer work not done.
    if (!unfinished && through < today && !runs.some((r) => r.businessDate === through))
      return err(
        failure(
          'conflict',
          'date_not_closed',
          `${through} was never closed: the business date was set past it`,
          {
            fields: [{ path: 'date', message: `the business date is ${today}` }],
          },
        ),
      );
    return ok(runs);
  }

  async runs(
    scope: Scope,
    opts: { from?: CalendarDate; to?: CalendarDate; limit: number },
  ): Promise<store.RunProgress[]> {
    return store.listRuns(this.deps.db, scope.tenantId, opts);
  }

  /** Tenants that have a business date (every tenant with loans): the ones `plinth cob` closes. */
  async tenants(): Promise<string[]> {
    return store.tenantsWithBusinessDate(this.deps.db);
  }

  /** The batch worker (`copies` at once in this process); on start it sends again the batches a crash interrupted. */
  worker(copies: number): Worker<BatchJob> {
    return {
      queue: COB_BATCH_QUEUE,
      handle: async (jobs) => {
        for (const job of jobs) await this.runBatch(job.data);
      },
      options: { batchSize: 1, pollingIntervalSeconds: 1, drain: true, copies },
      resume: async () => {
        for (const run of await store.unfinishedRuns(this.deps.db)) await this.#resumeRun(run);
      },
    };
  }

  /** Day start: moves the business date on and plans the day's batches, then dispatches them. */
  async #startDay(tenantId: string, day: CalendarDate, through: CalendarDate): Promise<void> {
    const planned = await this.deps.db.transaction(async (tx) => {
      // The row lock waits for the writes in flight that make a loan active (they hold the row in KEY SHARE
      // mode), so the plan sees every loan they activated; such writes after it see the new date and read again.
      // Other writes need no waiting: each one's own guard keeps it before or after its loan's batch (README).
      const current = await findBusinessDate(tx, tenantId, { lock: true });
      if (current !== day || (await store.findRun(tx, tenantId, day))) return undefined; // someone else started it
      await store.insertRun(tx, { tenantId, businessDate: day, status: 'running', throughDate: through });
      const totals = await store.planBatches(tx, tenantId, day, this.deps.batchSize);
      await store.setRunTotals(tx, tenantId, day, totals);
      await setBusinessDate(tx, tenantId, addDays(day, 1));
      return totals;
    });
    if (!planned) return;
    this.deps.logger.info({ tenantId, day, ...planned }, 'close of business: day started');
    const batches = Array.from({ length: planned.batches }, (_, k) => k);
    await this.#dispatch(tenantId, day, batches);
  }

  async #dispatch(tenantId: string, day: CalendarDate, batches: readonly number[]): Promise<void> {
    if (batches.length === 0) return this.#finishDay(tenantId, day);
    const queue = this.deps.queue;
    if (queue) {
      for (const batch of batches)
        await queue.send<BatchJob>(
          COB_BATCH_QUEUE,
          { tenantId, date: day, batch },
          { retryLimit: 3, retryDelaySeconds: 5 },
        );
      return;
    }
    for (const batch of batches) await this.runBatch({ tenantId, date: day, batch });
  }

  async #resumeRun(run: CobRunRow): Promise<void> {
    if (run.status === 'failed')
      await store.updateRun(this.deps.db, run.tenantId, run.businessDate, { status: 'running' });
    const pending = await store.pendingBatches(this.deps.db, run.tenantId, run.businessDate);
    await this.#dispatch(run.tenantId, run.businessDate, pending);
  }

  /** One batch of one day, exactly once: its work and its `done` mark commit together. */
  async runBatch(job: BatchJob): Promise<void> {
    const { tenantId, date } = job;
    try {
      await this.deps.db.transaction(async (tx) => {
        const batch = await store.lockBatch(tx, tenantId, date, job.batch);
        if (!batch || batch.status === 'done') return;
        // Compiling the batch statements costs more than it saves on a batch's rows.
        await tx.execute(sql`SET LOCAL jit = off`);
        // Every loan the batch may change moves to a new version: a write that read it before fails its guard.
        await store.lockBatchLoans(tx, tenantId, batch.firstLoan, batch.lastLoan);
        const scope = { tenantId, date, firstLoan: batch.firstLoan, lastLoan: batch.lastLoan };
        const t0 = performance.now();
        const counts: Record<string, number> = {};
        for (const step of this.deps.steps()) counts[step.name] = await step.run(tx, scope);
        const ms = Math.round(performance.now() - t0);
        this.deps.logger.debug(
          { ...job, loans: batch.loans, ms, rows: counts },
          'close of business: batch done',
        );
        await store.markBatchDone(tx, tenantId, date, job.batch);
      });
    } catch (e) {
      this.deps.logger.error({ err: e, ...job }, 'close of business batch failed');
      await store.updateRun(this.deps.db, tenantId, date, { error: String(e) });
      if (!this.deps.queue) await store.updateRun(this.deps.db, tenantId, date, { status: 'failed' });
      throw e;
    }
    if ((await store.pendingBatches(this.deps.db, tenantId, date)).length === 0)
      await this.#finishDay(tenantId, date);
  }

  /** Completes the day (once, whoever gets here first) and starts the next one the request still covers. */
  async #finishDay(tenantId: string, day: CalendarDate): Promise<void> {
    // The day's event and the next date's loan positions commit with its completion: whoever reacts to it
    // (reminders, late notices, statements) hears of each closed day exactly once, and the positions are those
    // of the date as it opens, after a crash too.
    const run = await this.deps.db.transaction(async (tx) => {
      const completed = await store.completeRun(tx, tenantId, day);
      if (completed) {
        await publishEvents(tx, [dayClosed(tenantId, day)]);
        await this.deps.positions?.record(tenantId, addDays(day, 1), tx);
      }
      return completed;
    });
    if (!run) return;
    this.deps.events?.wake();
    this.deps.logger.info({ tenantId, day }, 'close of business: day completed');
    for (const listener of this.#dayOpened)
      await listener(tenantId, addDays(day, 1)).catch((e: unknown) =>
        this.deps.logger.error({ err: e, tenantId, day }, 'close of business: a day-opened listener failed'),
      );
    if (run.throughDate > day) await this.#startDay(tenantId, addDays(day, 1), run.throughDate);
  }
}

/** The event of a closed day: its id is derived from the tenant and the day, so a rerun publishes it once. */
const dayClosed = (tenantId: string, day: CalendarDate) => {
  const payload: DayClosedPayload = { closed: day, business_date: addDays(day, 1) };
  return {
    tenantId,
    id: nameUuid('lending.day_closed', tenantId, day),
    type: LENDING_EVENTS.dayClosed,
    payload,
  };
};
