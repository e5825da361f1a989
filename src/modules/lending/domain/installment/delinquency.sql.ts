import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';

// `daysPastDue` and `delinquencyBucket` (delinquency.ts) in SQL, over a batch: every product's aging.

/**
 * Days past due from the oldest due date still unpaid (an installment, a lease's oldest unpaid payment, a line's
 * oldest unpaid minimum payment); they only grow between writes. An installment loan that ages becomes
 * `delinquent`; lease and line statuses are their own, and aging leaves them.
 */
export const agingSql =
  (product: string) =>
  (b: CobBatch): SQL =>
    sql`WITH aged AS (
            UPDATE loans l
               SET days_past_due = ${b.date}::date - l.oldest_unpaid_due,
                   delinquency_bucket = lending_delinquency_bucket(${b.date}::date - l.oldest_unpaid_due,
                                                                   l.delinquency_buckets)${product === 'installment_loan' ? sql`, status = 'delinquent'` : sql``}
             WHERE l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
               AND l.product = ${product} AND l.cob_active AND l.oldest_unpaid_due < ${b.date}::date
               AND ${b.date}::date - l.oldest_unpaid_due > l.days_past_due
            RETURNING 1)
          SELECT count(*) AS n FROM aged`;
