import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Scope } from '../../kernel/audit.js';
import { type CalendarDate, isCalendarDate } from '../../kernel/dates.js';
import type { Db } from '../../kernel/db.js';
import { isUuid } from '../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../kernel/result.js';
import type { CustomerService } from '../tenancy/index.js';
import type { TransactionStatus } from './domain/types.js';
import {
  type AccountRow,
  accounts,
  balanceSnapshots,
  type HoldingRow,
  holdings,
  type SnapshotRow,
  type TransactionRow,
  transactions,
} from './store.js';

/** Reads of the normalized data: accounts of a customer, and an account's transactions, holdings and snapshots. */

export interface TransactionQuery {
  startDate?: CalendarDate;
  endDate?: CalendarDate;
  status?: TransactionStatus;
  needsReview?: boolean;
  limit: number;
  cursor?: string;
}

/** Transactions page newest first by (date, id); the cursor names the last row of the previous page. */
const encodeCursor = (t: TransactionRow) => Buffer.from(`${t.transactionDate}|${t.id}`).toString('base64url');

function decodeCursor(cursor: string): { date: string; id: string } | undefined {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return date && id && isCalendarDate(date) && isUuid(id) ? { date, id } : undefined;
}

export class AccountReads {
  constructor(private readonly deps: { db: Db; customers: CustomerService }) {}

  async listAccounts(scope: Scope, customerId: string): Promise<Result<AccountRow[]>> {
    const customer = await this.deps.customers.get(scope, customerId);
    if (!customer.ok) return customer;
    return ok(
      await this.deps.db
        .select()
        .from(accounts)
        .where(and(eq(accounts.tenantId, scope.tenantId), eq(accounts.customerId, customer.value.id)))
        .orderBy(asc(accounts.createdAt), asc(accounts.id)),
    );
  }

  async account(scope: Scope, id: string): Promise<Result<AccountRow>> {
    if (!isUuid(id)) return err(notFound('account'));
    const [row] = await this.deps.db
      .select()
      .from(accounts)
      .where(and(eq(accounts.tenantId, scope.tenantId), eq(accounts.id, id)));
    return row ? ok(row) : err(notFound('account'));
  }

  async transactions(
    scope: Scope,
    accountId: string,
    q: TransactionQuery,
  ): Promise<Result<{ rows: TransactionRow[]; nextCursor: string | null }>> {
    const account = await this.account(scope, accountId);
    if (!account.ok) return account;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !after)
      return err(
        failure('invalid', 'invalid_cursor', 'cursor is not one this API returned', {
          fields: [{ path: 'cursor', message: 'unknown cursor' }],
        }),
      );
    const t = transactions;
    const rows = await this.deps.db
      .select()
      .from(t)
      .where(
        and(
          eq(t.tenantId, scope.tenantId),
          eq(t.accountId, account.value.id),
          q.startDate ? gte(t.transactionDate, q.startDate) : undefined,
          q.endDate ? lte(t.transactionDate, q.endDate) : undefined,
          q.status ? eq(t.status, q.status) : undefined,
          q.needsReview === undefined ? undefined : eq(t.needsReview, q.needsReview),
          after ? sql`(${t.transactionDate}, ${t.id}) < (${after.date}::date, ${after.id}::uuid)` : undefined,
        ),
      )
      .orderBy(desc(t.transactionDate), desc(t.id))
      .limit(q.limit);
    return ok({ rows, nextCursor: rows.length === q.limit ? encodeCursor(rows.at(-1)!) : null });
  }

  async holdings(scope: Scope, accountId: string): Promise<Result<HoldingRow[]>> {
    const account = await this.account(scope, accountId);
    if (!account.ok) return account;
    return ok(
      await this.deps.db
        .select()
        .from(holdings)
        .where(and(eq(holdings.tenantId, scope.tenantId), eq(holdings.accountId, account.value.id)))
        .orderBy(asc(holdings.symbol), asc(holdings.id)),
    );
  }

  async snapshots(scope: Scope, accountId: string, limit: number): Promise<Result<SnapshotRow[]>> {
    const account = await this.account(scope, accountId);
    if (!account.ok) return account;
    const s = balanceSnapshots;
    return ok(
      await this.deps.db
        .select()
        .from(s)
        .where(and(eq(s.tenantId, scope.tenantId), eq(s.accountId, account.value.id)))
        .orderBy(desc(s.createdAt), desc(s.id))
        .limit(limit),
    );
  }
}
