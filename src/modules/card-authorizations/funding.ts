import { sql } from 'drizzle-orm';
import { type Scope, SYSTEM_ACTOR } from '../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../kernel/dates.js';
import { type Db, rows } from '../../kernel/db.js';
import type { Logger } from '../../kernel/logging.js';
import { exactMinor, type Minor } from '../../kernel/money.js';
import type { Failure, Result } from '../../kernel/result.js';

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

interface Claimed {
  tenant_id: string;
  reference: string;
  loan_id: string;
  kind: 'draw' | 'refund';
  amount: string;
  currency: string;
  occurred_at: Date | string;
  attempts: number;
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
        const [waiting] = await rows<{ n: number }>(
          this.deps.db,
          sql`SELECT count(*)::int AS n FROM card_funding_outbox WHERE status = 'pending'`,
        );
        if (waiting!.n > 0) {
          this.deps.logger.warn(
            { waiting: waiting!.n },
            'card funding postings are waiting: no LoanFunding is wired',
          );
          this.#warned = true;
        }
      }
      return report;
    }
    const now = this.deps.now();
    const claimed = await rows<Claimed>(
      this.deps.db,
      sql`UPDATE card_funding_outbox o
             SET attempts = o.attempts + 1,
                 next_attempt_at = ${now.toISOString()}::timestamptz + make_interval(secs => ${LEASE_SECONDS})
           WHERE (o.tenant_id, o.reference, o.loan_id) IN (
                   SELECT tenant_id, reference, loan_id FROM card_funding_outbox
                    WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
                    ORDER BY next_attempt_at, reference LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING o.tenant_id, o.reference, o.loan_id, o.kind, o.amount, o.currency, o.occurred_at, o.attempts`,
    );
    // In the order they were posted (the claim's RETURNING does not keep the subquery's order).
    claimed.sort(
      (a, b) => +new Date(a.occurred_at) - +new Date(b.occurred_at) || (a.reference < b.reference ? -1 : 1),
    );
    for (const row of claimed) {
      const outcome = await this.#deliver(funding, row);
      report[outcome]++;
    }
    return report;
  }

  async #deliver(funding: LoanFunding, row: Claimed): Promise<keyof FundingRunReport> {
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
        await this.#settle(row, 'done', null, { transaction_id: result.value.transactionId });
        return 'done';
      }
      error = `${result.error.code}: ${result.error.message}`;
      if (!TRANSIENT_KINDS.has(result.error.kind)) {
        await this.#settle(row, 'failed', error, null);
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
      await this.#settle(row, 'failed', error, null);
      return 'failed';
    }
    const backoff = Math.min(2 ** row.attempts * 5, 3600);
    await this.deps.db.execute(sql`
      UPDATE card_funding_outbox SET last_error = ${error},
             next_attempt_at = ${this.deps.now().toISOString()}::timestamptz + make_interval(secs => ${backoff})
       WHERE tenant_id = ${row.tenant_id} AND reference = ${row.reference} AND loan_id = ${row.loan_id}`);
    return 'retrying';
  }

  async #settle(row: Claimed, status: 'done' | 'failed', error: string | null, result: object | null) {
    await this.deps.db.execute(sql`
      UPDATE card_funding_outbox SET status = ${status}, last_error = ${error},
             result = ${result === null ? null : JSON.stringify(result)}::jsonb, processed_at = now()
       WHERE tenant_id = ${row.tenant_id} AND reference = ${row.reference} AND loan_id = ${row.loan_id}`);
  }
}
