import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { PendingRow, PostedCandidate } from '../domain/pending.js';
import { num, param } from './store.js';

/** Queries that settle pending transactions (domain/pending.ts decides; these read and write). */

/** Pending rows the newest data still reports: remember how far that data reached. */
export async function touchPending(
  db: Db,
  tenantId: string,
  accountId: string,
  providerIds: readonly string[],
  through: CalendarDate,
): Promise<void> {
  if (providerIds.length === 0) return;
  await db.execute(sql`
    UPDATE financial_transactions
       SET observed_through = greatest(coalesce(observed_through, ${through}::date), ${through}::date)
     WHERE tenant_id = ${tenantId} AND account_id = ${accountId} AND status = 'pending'
       AND provider_transaction_id = ANY(${param([...providerIds])}::text[])`);
}

/** Rows a provider says were replaced by another transaction (a link such as OFX CORRECTACTION=REPLACE). */
export async function deleteReplaced(
  db: Db,
  tenantId: string,
  accountId: string,
  replacedIds: readonly string[],
  reportedIds: readonly string[],
): Promise<number> {
  if (replacedIds.length === 0) return 0;
  const deleted = await rows<{ id: string }>(
    db,
    sql`DELETE FROM financial_transactions
         WHERE tenant_id = ${tenantId} AND account_id = ${accountId}
           AND provider_transaction_id = ANY(${param([...replacedIds])}::text[])
           AND NOT provider_transaction_id = ANY(${param([...reportedIds])}::text[])
        RETURNING id`,
  );
  return deleted.length;
}

export async function loadPending(db: Db, tenantId: string, accountId: string): Promise<PendingRow[]> {
  const result = await rows<{
    id: string;
    provider_transaction_id: string;
    amount: string | number;
    transaction_date: string;
    description: string;
    observed_through: string | null;
    created_ms: string | number;
  }>(
    db,
    sql`SELECT id, provider_transaction_id, amount, transaction_date::text AS transaction_date, description,
               observed_through::text AS observed_through,
               (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
          FROM financial_transactions
         WHERE tenant_id = ${tenantId} AND account_id = ${accountId} AND status = 'pending'`,
  );
  return result.map((r) => ({
    id: r.id,
    providerTransactionId: r.provider_transaction_id,
    amount: num(r.amount),
    transactionDate: r.transaction_date as CalendarDate,
    description: r.description,
    observedThrough: r.observed_through as CalendarDate | null,
    createdAt: num(r.created_ms),
  }));
}

/** Settled rows that could be the posted form of a pending one: not linked to a pending transaction yet. */
export async function loadPostedCandidates(
  db: Db,
  tenantId: string,
  accountId: string,
  from: CalendarDate,
  to: CalendarDate,
): Promise<PostedCandidate[]> {
  const result = await rows<{
    id: string;
    amount: string | number;
    transaction_date: string;
    description: string;
    created_ms: string | number;
  }>(
    db,
    sql`SELECT id, amount, transaction_date::text AS transaction_date, description,
               (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
          FROM financial_transactions
         WHERE tenant_id = ${tenantId} AND account_id = ${accountId} AND status = 'settled'
           AND pending_transaction_id IS NULL AND transaction_date BETWEEN ${from}::date AND ${to}::date`,
  );
  return result.map((r) => ({
    id: r.id,
    amount: num(r.amount),
    transactionDate: r.transaction_date as CalendarDate,
    description: r.description,
    createdAt: num(r.created_ms),
  }));
}

export async function applyPendingResolution(
  db: Db,
  tenantId: string,
  posted: readonly { pendingId: string; pendingProviderId: string; postedId: string }[],
  dropped: readonly string[],
): Promise<void> {
  if (posted.length > 0) {
    await db.execute(sql`
      DELETE FROM financial_transactions
       WHERE tenant_id = ${tenantId} AND id = ANY(${param(posted.map((p) => p.pendingId))}::uuid[])`);
    await db.execute(sql`
      UPDATE financial_transactions t SET pending_transaction_id = u.pending_id, updated_at = now()
        FROM unnest(${param(posted.map((p) => p.postedId))}::uuid[],
                    ${param(posted.map((p) => p.pendingProviderId))}::text[]) AS u(id, pending_id)
       WHERE t.tenant_id = ${tenantId} AND t.id = u.id`);
  }
  if (dropped.length > 0)
    await db.execute(sql`
      UPDATE financial_transactions SET status = 'cancelled', updated_at = now()
       WHERE tenant_id = ${tenantId} AND id = ANY(${param([...dropped])}::uuid[])`);
}
