import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import type { TransactionStatus } from '../domain/types.js';
import {
  type AccountRow,
  accounts,
  balanceSnapshots,
  type HoldingRow,
  holdings,
  type SnapshotRow,
  type TransactionRow,
  transactions,
  visibleAccount,
  visibleTransaction,
} from '../tables.js';

/** Reads of the normalized data. Every one names the tenant. */

export async function listAccounts(db: Db, tenantId: string, customerId: string): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), eq(accounts.customerId, customerId), visibleAccount))
    .orderBy(asc(accounts.createdAt), asc(accounts.id));
}

export async function findAccount(db: Db, tenantId: string, id: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, id), visibleAccount));
  return row;
}

export interface TransactionFilter {
  startDate?: CalendarDate;
  endDate?: CalendarDate;
  status?: TransactionStatus;
  needsReview?: boolean;
  limit: number;
  /** The last row of the previous page: this page starts after it, newest first by (date, id). */
  after?: { date: string; id: string };
}

export async function listTransactions(
  db: Db,
  tenantId: string,
  accountId: string,
  q: TransactionFilter,
): Promise<TransactionRow[]> {
  const t = transactions;
  const { after } = q;
  return db
    .select()
    .from(t)
    .where(
      and(
        eq(t.tenantId, tenantId),
        eq(t.accountId, accountId),
        visibleTransaction,
        q.startDate ? gte(t.transactionDate, q.startDate) : undefined,
        q.endDate ? lte(t.transactionDate, q.endDate) : undefined,
        q.status ? eq(t.status, q.status) : undefined,
        q.needsReview === undefined ? undefined : eq(t.needsReview, q.needsReview),
        after ? sql`(${t.transactionDate}, ${t.id}) < (${after.date}::date, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(t.transactionDate), desc(t.id))
    .limit(q.limit);
}

export async function listHoldings(db: Db, tenantId: string, accountId: string): Promise<HoldingRow[]> {
  return db
    .select()
    .from(holdings)
    .where(and(eq(holdings.tenantId, tenantId), eq(holdings.accountId, accountId)))
    .orderBy(asc(holdings.symbol), asc(holdings.id));
}

export async function listSnapshots(
  db: Db,
  tenantId: string,
  accountId: string,
  limit: number,
): Promise<SnapshotRow[]> {
  const s = balanceSnapshots;
  return db
    .select()
    .from(s)
    .where(and(eq(s.tenantId, tenantId), eq(s.accountId, accountId)))
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(limit);
}
