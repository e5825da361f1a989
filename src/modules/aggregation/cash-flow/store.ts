import type { SQL } from 'drizzle-orm';
import { and, asc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { changedAtCommitSql } from '../../../kernel/tenant-changes.js';
import { CASH_FLOW_ACCOUNT_TYPES } from '../domain/cash-flow/index.js';
import { accounts, balanceSnapshots, transactions, visibleAccount, visibleTransaction } from '../tables.js';

/** What the cash-flow summary reads: a customer's deposit accounts, their settled transactions and balances. */

/** A tenant whose accounts were added or changed, so every process drops what it knows of its customers' accounts. */
export const ACCOUNT_CHANGES = 'plinth_account_changes';

/**
 * A write of an account carries this (a RETURNING column): every process learns at commit that the tenant's
 * accounts changed, so a customer known to have no deposit account may have one now (CashFlowService).
 */
export const accountsChangedSql = (tenantId: SQL): SQL => changedAtCommitSql(ACCOUNT_CHANGES, tenantId);

export async function depositAccounts(db: Db, tenantId: string, customerId: string) {
  return db
    .select({ id: accounts.id, accountType: accounts.accountType, currency: accounts.currency })
    .from(accounts)
    .where(
      and(
        eq(accounts.tenantId, tenantId),
        eq(accounts.customerId, customerId),
        inArray(accounts.accountType, [...CASH_FLOW_ACCOUNT_TYPES]),
        visibleAccount,
      ),
    )
    .orderBy(asc(accounts.id));
}

export async function settledTransactions(
  db: Db,
  tenantId: string,
  accountIds: readonly string[],
  since: CalendarDate,
) {
  if (accountIds.length === 0) return [];
  return db
    .select({
      id: transactions.id,
      accountId: transactions.accountId,
      amount: transactions.amount,
      date: transactions.transactionDate,
      description: transactions.description,
      transactionType: transactions.transactionType,
      subtype: transactions.subtype,
    })
    .from(transactions)
    .where(
      and(
        eq(transactions.tenantId, tenantId),
        inArray(transactions.accountId, [...accountIds]),
        eq(transactions.status, 'settled'),
        gte(transactions.transactionDate, since),
        visibleTransaction,
      ),
    );
}

/** The snapshots that know a balance, oldest first. */
export async function balanceSnapshotsOf(db: Db, tenantId: string, accountIds: readonly string[]) {
  if (accountIds.length === 0) return [];
  return db
    .select({
      accountId: balanceSnapshots.accountId,
      balance: balanceSnapshots.balance,
      asOf: balanceSnapshots.asOf,
    })
    .from(balanceSnapshots)
    .where(
      and(
        eq(balanceSnapshots.tenantId, tenantId),
        inArray(balanceSnapshots.accountId, [...accountIds]),
        isNotNull(balanceSnapshots.balance),
      ),
    )
    .orderBy(asc(balanceSnapshots.asOf));
}
