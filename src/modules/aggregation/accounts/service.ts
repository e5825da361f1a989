import type { Scope } from '../../../kernel/audit.js';
import { isCalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { CustomerService } from '../../tenancy/index.js';
import type { AccountRow, HoldingRow, SnapshotRow, TransactionRow } from '../tables.js';
import * as store from './store.js';

/** Reads of the normalized data: accounts of a customer, and an account's transactions, holdings and snapshots. */

export interface TransactionQuery extends Omit<store.TransactionFilter, 'after'> {
  cursor?: string;
}

/** Transactions page newest first by (date, id); the cursor names the last row of the previous page. */
const encodeCursor = (t: TransactionRow) => Buffer.from(`${t.transactionDate}|${t.id}`).toString('base64url');

function decodeCursor(cursor: string): { date: string; id: string } | undefined {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return date && id && isCalendarDate(date) && isUuid(id) ? { date, id } : undefined;
}

export class AccountService {
  constructor(private readonly deps: { db: Db; customers: CustomerService }) {}

  async listAccounts(scope: Scope, customerId: string): Promise<Result<AccountRow[]>> {
    const customer = await this.deps.customers.get(scope, customerId);
    if (!customer.ok) return customer;
    return ok(await store.listAccounts(this.deps.db, scope.tenantId, customer.value.id));
  }

  async account(scope: Scope, id: string): Promise<Result<AccountRow>> {
    if (!isUuid(id)) return err(notFound('account'));
    const row = await store.findAccount(this.deps.db, scope.tenantId, id);
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
    const rows = await store.listTransactions(this.deps.db, scope.tenantId, account.value.id, {
      ...q,
      after,
    });
    return ok({ rows, nextCursor: rows.length === q.limit ? encodeCursor(rows.at(-1)!) : null });
  }

  async holdings(scope: Scope, accountId: string): Promise<Result<HoldingRow[]>> {
    const account = await this.account(scope, accountId);
    if (!account.ok) return account;
    return ok(await store.listHoldings(this.deps.db, scope.tenantId, account.value.id));
  }

  async snapshots(scope: Scope, accountId: string, limit: number): Promise<Result<SnapshotRow[]>> {
    const account = await this.account(scope, accountId);
    if (!account.ok) return account;
    return ok(await store.listSnapshots(this.deps.db, scope.tenantId, account.value.id, limit));
  }
}
