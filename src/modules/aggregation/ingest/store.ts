import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { accountsChangedSql } from '../cash-flow/store.js';
import type { ProviderAccountData, ProviderHoldingData } from '../domain/types.js';
import { accounts, balanceSnapshots } from '../tables.js';

/**
 * The SQL behind ingesting a statement's account, holdings and balance snapshot (its transactions:
 * transactions-store.ts, pending ones: pending-store.ts). Arrays travel as single parameters, unnested on the server.
 */

export const param = (values: unknown[]) => sql.param(values);
// node-postgres returns bigint as a string, PGlite as a number.
export const num = (v: unknown): number => Number(v);

export async function upsertAccount(
  db: Db,
  row: {
    tenantId: string;
    connectionId: string;
    customerId: string;
    account: ProviderAccountData;
    /** When the balances are true; null when the statement has none (the stored ones are then kept). */
    asOf: Date | null;
  },
): Promise<{ id: string; inserted: boolean }> {
  const a = row.account;
  // Balances only move forward in time: an older statement imported late must not overwrite a newer balance.
  const fresher = sql`(${accounts.balanceAsOf} IS NULL OR excluded.balance_as_of >= ${accounts.balanceAsOf})`;
  const keep = (column: SQL, incoming: SQL) => sql`CASE WHEN ${fresher} THEN ${incoming} ELSE ${column} END`;
  const [r] = await db
    .insert(accounts)
    .values({
      tenantId: row.tenantId,
      id: uuidv7(),
      connectionId: row.connectionId,
      customerId: row.customerId,
      providerAccountId: a.providerAccountId,
      accountNumberMasked: a.accountNumberMasked,
      name: a.name,
      accountType: a.accountType,
      currency: a.currency,
      balance: a.balance,
      availableBalance: a.availableBalance,
      cashBalance: a.cashBalance,
      balanceAsOf: row.asOf,
      institutionName: a.institution?.name ?? null,
      institutionId: a.institution?.id ?? null,
      isActive: a.isActive,
      lastSyncedAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: [accounts.tenantId, accounts.connectionId, accounts.providerAccountId],
      set: {
        accountNumberMasked: sql`excluded.account_number_masked`,
        name: sql`excluded.name`,
        accountType: sql`excluded.account_type`,
        currency: sql`excluded.currency`,
        balance: keep(sql`${accounts.balance}`, sql`excluded.balance`),
        availableBalance: keep(sql`${accounts.availableBalance}`, sql`excluded.available_balance`),
        cashBalance: keep(sql`${accounts.cashBalance}`, sql`excluded.cash_balance`),
        balanceAsOf: keep(sql`${accounts.balanceAsOf}`, sql`excluded.balance_as_of`),
        institutionName: sql`excluded.institution_name`,
        institutionId: sql`excluded.institution_id`,
        isActive: sql`excluded.is_active`,
        lastSyncedAt: sql`now()`,
        updatedAt: sql`now()`,
      },
    })
    // Inserted, or its type changed: the customers known to have no deposit account may have one (at commit).
    .returning({
      id: accounts.id,
      inserted: sql<boolean>`(xmax = 0)`,
      notice: accountsChangedSql(sql`${accounts.tenantId}`),
    });
  return { id: r!.id, inserted: r!.inserted };
}

/** Makes the account's holdings exactly `list` (upserted by provider holding id, which must be unique). */
export async function replaceHoldings(
  db: Db,
  tenantId: string,
  accountId: string,
  list: readonly ProviderHoldingData[],
): Promise<void> {
  const col = <T>(f: (h: ProviderHoldingData) => T) => param(list.map(f));
  await db.execute(sql`
    DELETE FROM financial_holdings
     WHERE tenant_id = ${tenantId} AND account_id = ${accountId}
       AND NOT provider_holding_id = ANY(${col((h) => h.providerHoldingId)}::text[])`);
  if (list.length === 0) return;
  await db.execute(sql`
    INSERT INTO financial_holdings (tenant_id, account_id, id, provider_holding_id, symbol, security_name,
                                    asset_type, quantity, cost_basis, market_value, currency, average_price,
                                    current_price, as_of)
    SELECT ${tenantId}::uuid, ${accountId}::uuid, u.*
      FROM unnest(${param(list.map(() => uuidv7()))}::uuid[], ${col((h) => h.providerHoldingId)}::text[],
                  ${col((h) => h.symbol)}::text[], ${col((h) => h.securityName)}::text[],
                  ${col((h) => h.assetType)}::text[], ${col((h) => h.quantity)}::numeric[],
                  ${col((h) => h.costBasis)}::bigint[], ${col((h) => h.marketValue)}::bigint[],
                  ${col((h) => h.currency)}::text[], ${col((h) => h.averagePrice)}::numeric[],
                  ${col((h) => h.currentPrice)}::numeric[], ${col((h) => h.asOf)}::timestamptz[]) AS u
    ON CONFLICT (tenant_id, account_id, provider_holding_id) DO UPDATE SET
      symbol = excluded.symbol, security_name = excluded.security_name, asset_type = excluded.asset_type,
      quantity = excluded.quantity, cost_basis = excluded.cost_basis, market_value = excluded.market_value,
      currency = excluded.currency, average_price = excluded.average_price,
      current_price = excluded.current_price, as_of = excluded.as_of, updated_at = now()`);
}

export async function insertSnapshot(db: Db, row: typeof balanceSnapshots.$inferInsert): Promise<void> {
  await db.insert(balanceSnapshots).values(row);
}
