import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';

/** A posting claimed for delivery. */
export interface Claimed {
  tenant_id: string;
  reference: string;
  loan_id: string;
  kind: 'draw' | 'refund';
  amount: string;
  currency: string;
  occurred_at: Date | string;
  attempts: number;
}

type Key = Pick<Claimed, 'tenant_id' | 'reference' | 'loan_id'>;

export async function pendingCount(db: Db): Promise<number> {
  const [waiting] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM card_funding_outbox WHERE status = 'pending'`,
  );
  return waiting!.n;
}

/**
 * Claims up to `limit` due postings under a lease: each becomes invisible to other workers for `leaseSeconds`
 * (a crash mid-call makes it due again after that). In the order they were posted.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseSeconds: number): Promise<Claimed[]> {
  const claimed = await rows<Claimed>(
    db,
    sql`UPDATE card_funding_outbox o
           SET attempts = o.attempts + 1,
               next_attempt_at = ${now.toISOString()}::timestamptz + make_interval(secs => ${leaseSeconds})
         WHERE (o.tenant_id, o.reference, o.loan_id) IN (
                 SELECT tenant_id, reference, loan_id FROM card_funding_outbox
                  WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
                  ORDER BY next_attempt_at, reference LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING o.tenant_id, o.reference, o.loan_id, o.kind, o.amount, o.currency, o.occurred_at, o.attempts`,
  );
  // The claim's RETURNING does not keep the subquery's order.
  return claimed.sort(
    (a, b) => +new Date(a.occurred_at) - +new Date(b.occurred_at) || (a.reference < b.reference ? -1 : 1),
  );
}

export async function retryLater(db: Db, row: Key, error: string, now: Date, backoffSeconds: number) {
  await db.execute(sql`
    UPDATE card_funding_outbox SET last_error = ${error},
           next_attempt_at = ${now.toISOString()}::timestamptz + make_interval(secs => ${backoffSeconds})
     WHERE tenant_id = ${row.tenant_id} AND reference = ${row.reference} AND loan_id = ${row.loan_id}`);
}

export async function settle(
  db: Db,
  row: Key,
  status: 'done' | 'failed',
  error: string | null,
  result: object | null,
) {
  await db.execute(sql`
    UPDATE card_funding_outbox SET status = ${status}, last_error = ${error},
           result = ${result === null ? null : JSON.stringify(result)}::jsonb, processed_at = now()
     WHERE tenant_id = ${row.tenant_id} AND reference = ${row.reference} AND loan_id = ${row.loan_id}`);
}
