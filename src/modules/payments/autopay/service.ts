import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import type { Job, JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import type { Minor } from '../../../kernel/money.js';
import { ok, type Result } from '../../../kernel/result.js';
import type { LoanPayments } from '../../lending/index.js';
import type { CollectionService } from '../collections/service.js';
import { systemScope } from '../payments/requests.js';
import * as store from './store.js';

export const AUTOPAY_QUEUE = 'payments.autopay';

export interface AutopayJob {
  tenantId: string;
  loanId: string;
  dueDate: CalendarDate;
  paymentMethodId: string;
  amount: Minor;
}

export interface Autopay {
  loanId: string;
  paymentMethodId: string;
  enabled: boolean;
  updatedAt: Date;
}

/**
 * Autopay: a loan's stored payment method pays each installment on its due date. When close of business opens a
 * day, the installments of autopay loans falling due on it are queued as collections, one job per loan and due
 * date; each collection's Idempotency-Key is `autopay:<loan>:<due date>` (and a unique index holds one autopay
 * payment per loan and due date), so a rerun of the same day, or a job delivered twice, charges nobody twice.
 */
export class AutopayService {
  constructor(
    private readonly deps: {
      db: Db;
      lending: LoanPayments;
      collections: CollectionService;
      jobs?: JobQueue;
      logger: Logger;
      now: () => Date;
    },
  ) {}

  async put(
    scope: Scope,
    loanId: string,
    input: { paymentMethodId: string; enabled: boolean },
  ): Promise<Result<Autopay>> {
    const loan = await this.deps.lending.collectible(scope, loanId);
    if (!loan.ok) return loan;
    const method = await this.deps.collections.methodOfLoan(scope, loan.value, input.paymentMethodId);
    if (!method.ok) return method;
    const row = await store.upsertAutopay(this.deps.db, {
      tenantId: scope.tenantId,
      loanId: loan.value.id,
      paymentMethodId: method.value.id,
      enabled: input.enabled,
      updatedAt: this.deps.now(),
    });
    return ok(autopayOf(row));
  }

  async get(scope: Scope, loanId: string): Promise<Result<Autopay | null>> {
    const loan = await this.deps.lending.collectible(scope, loanId);
    if (!loan.ok) return loan;
    const row = await store.findAutopay(this.deps.db, scope.tenantId, loan.value.id);
    return ok(row ? autopayOf(row) : null);
  }

  /** Queues the collections of the installments falling due on `date` (close of business opened it). */
  async dayOpened(tenantId: string, date: CalendarDate): Promise<number> {
    const loans = await store.enabledLoans(this.deps.db, tenantId);
    const methods = new Map(loans.map((l) => [l.loanId, l.paymentMethodId]));
    const due = await this.deps.lending.installmentsDue(tenantId, date, [...methods.keys()]);
    for (const d of due) {
      const job: AutopayJob = {
        tenantId,
        loanId: d.loanId,
        dueDate: d.dueDate,
        paymentMethodId: methods.get(d.loanId)!,
        amount: d.amount,
      };
      if (this.deps.jobs)
        await this.deps.jobs.send(AUTOPAY_QUEUE, job, {
          singletonKey: `${tenantId}:${d.loanId}:${d.dueDate}`,
          retryLimit: 5,
          retryDelaySeconds: 60,
          retryBackoff: true,
        });
      else await this.collect(job);
    }
    await store.claimDay(this.deps.db, tenantId, date, due.length);
    this.deps.logger.info({ tenantId, date, collections: due.length }, 'autopay: collections queued');
    return due.length;
  }

  /** The worker: collects one installment. A decline is the borrower's to fix; a processor outage retries. */
  async handle(jobs: Job<AutopayJob>[]): Promise<void> {
    for (const j of jobs) await this.collect(j.data);
  }

  async collect(job: AutopayJob): Promise<void> {
    const r = await this.deps.collections.collect(
      systemScope(job.tenantId),
      job.loanId,
      { amount: job.amount, paymentMethodId: job.paymentMethodId, description: `autopay ${job.dueDate}` },
      `autopay:${job.loanId}:${job.dueDate}`,
      job.dueDate,
    );
    const log = { tenantId: job.tenantId, loanId: job.loanId, dueDate: job.dueDate };
    if (!r.ok) {
      this.deps.logger.warn({ ...log, code: r.error.code }, 'autopay: collection refused');
      if (r.error.kind === 'unavailable') throw new Error(`autopay: processor unavailable (${r.error.code})`);
      return;
    }
    if (r.value.operation)
      throw new Error('autopay: the processor did not answer; the job retries with its key');
    this.deps.logger.info({ ...log, paymentId: r.value.id, state: r.value.state }, 'autopay: collected');
  }
}

const autopayOf = (r: store.AutopayRow): Autopay => ({
  loanId: r.loanId,
  paymentMethodId: r.paymentMethodId,
  enabled: r.enabled,
  updatedAt: r.updatedAt,
});
