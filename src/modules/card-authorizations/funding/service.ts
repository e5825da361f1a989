import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import type { Logger } from '../../../kernel/logging.js';
import { exactMinor, type Minor } from '../../../kernel/money.js';
import type { Failure, Result } from '../../../kernel/result.js';
import * as store from './store.js';

/** A card posting to carry onto a loan. */
export interface CardSpendPosting {
  /** Positive minor units. */
  amount: Minor;
  currency: string;
  /** The posting date, in the tenant's time zone. */
  effectiveDate: CalendarDate;
  /**
   * Unique per posting and stable across retries: the lending side must treat a repeated reference as the
   * same posting (return the first result, change nothing).
   */
  reference: string;
}

/**
 * The port the lending module implements so card spend on a loan-owned line of credit (owner_type `loan`,
 * owner_ref the loan id) is funded by that revolving loan and appears on its statement.
 *
 * An `Err` is a business refusal (the loan is closed, unknown, in another currency…): the posting is marked
 * failed for an operator to resolve. A `Failure` of kind `unavailable` or `rate_limited`, or a thrown error, is
 * transient: the posting is retried with backoff.
 */
export interface LoanFunding {
  /** A draw on the loan for a clearing (card spend) posted on one of its lines. */
  drawForCardSpend(
    scope: Scope,
    loanId: string,
    posting: CardSpendPosting,
  ): Promise<Result<{ transactionId: string }>>;
  /** A credit on the loan for a refund posted on one of its lines. */
  creditCardRefund(
    scope: Scope,
    loanId: string,
    posting: CardSpendPosting,
  ): Promise<Result<{ transactionId: string }>>;
}

export interface FundingRunReport {
  done: number;
  failed: number;
  retrying: number;
}

const MAX_ATTEMPTS = 12;
/** How long a claimed posting stays invisible to other workers; a crash mid-call makes it due again after this. */
const LEASE_SECONDS = 120;
const TRANSIENT_KINDS: ReadonlySet<Failure['kind']> = new Set(['unavailable', 'rate_limited']);

/**
 * Delivers the funding outbox to the lending side. Rows are written by the clearing's own transaction, so no
 * posting is lost; each is claimed under a lease (several workers may run), handed to LoanFunding with its
 * reference as idempotency key, and marked done, failed, or due again with exponential backoff.
 */
export class FundingOutbox {
  #warned = false;

  constructor(
    private readonly deps: {
      db: Db;
      funding: LoanFunding | undefined;
      tenantZone: (tenantId: string) => Promise<string>;
      logger: Logger;
      now: () => Date;
    },
  ) {}

  async processDue(limit = 100): Promise<FundingRunReport> {
    const report: FundingRunReport = { done: 0, failed: 0, retrying: 0 };
    const funding = this.deps.funding;
    if (!funding) {
      if (!this.#warned) {
        const waiting = await store.pendingCount(this.deps.db);
        if (waiting > 0) {
          this.deps.logger.warn({ waiting }, 'card funding postings are waiting: no LoanFunding is wired');
          this.#warned = true;
        }
      }
      return report;
    }
    const claimed = await store.claimDue(this.deps.db, this.deps.now(), limit, LEASE_SECONDS);
    for (const row of claimed) {
      const outcome = await this.#deliver(funding, row);
      report[outcome]++;
    }
    return report;
  }

  async #deliver(funding: LoanFunding, row: store.Claimed): Promise<keyof FundingRunReport> {
    const scope: Scope = { tenantId: row.tenant_id, actor: SYSTEM_ACTOR };
    let result: Result<{ transactionId: string }> | undefined;
    let error: string;
    try {
      const posting: CardSpendPosting = {
        amount: exactMinor(row.amount),
        currency: row.currency,
        effectiveDate: dateInZone(new Date(row.occurred_at), await this.deps.tenantZone(row.tenant_id)),
        reference: row.reference,
      };
      result =
        row.kind === 'draw'
          ? await funding.drawForCardSpend(scope, row.loan_id, posting)
          : await funding.creditCardRefund(scope, row.loan_id, posting);
      if (result.ok) {
        await store.settle(this.deps.db, row, 'done', null, { transaction_id: result.value.transactionId });
        return 'done';
      }
      error = `${result.error.code}: ${result.error.message}`;
      if (!TRANSIENT_KINDS.has(result.error.kind)) {
        await store.settle(this.deps.db, row, 'failed', error, null);
        this.deps.logger.error(
          { tenantId: row.tenant_id, loanId: row.loan_id, error },
          'loan refused a card posting',
        );
        return 'failed';
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (row.attempts >= MAX_ATTEMPTS) {
      await store.settle(this.deps.db, row, 'failed', error, null);
      return 'failed';
    }
    const backoff = Math.min(2 ** row.attempts * 5, 3600);
    await store.retryLater(this.deps.db, row, error, this.deps.now(), backoff);
    return 'retrying';
  }
}
