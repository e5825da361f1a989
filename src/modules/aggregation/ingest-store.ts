import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../kernel/dates.js';
import { type Db, rows } from '../../kernel/db.js';
import { uuidv7 } from '../../kernel/ids.js';
import type { ReviewReason, StoredTransaction } from './domain/dedup.js';
import type { ProviderAccountData, ProviderHoldingData, ProviderTransactionData } from './domain/types.js';
import { accounts } from './store.js';

/**
 * The set-based SQL behind ingestion. Arrays travel as single parameters and are unnested on the server, so a
 * statement of any size costs a handful of round trips, and deduplication is an anti-join in the database: a
 * re-imported file transfers nothing back.
 */

const BATCH = 10_000;
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
    .returning({ id: accounts.id, inserted: sql<boolean>`(xmax = 0)` });
  return { id: r!.id, inserted: r!.inserted };
}

export interface Classified {
  /** Positions (in the incoming list) of transactions not identical to a stored one. */
  open: number[];
  /** Stored rows sharing a provider id with an open transaction. */
  stored: StoredTransaction[];
}

const KEY_COLUMNS = sql.raw('fitid, amount, tdate, status');

/** Incoming transactions as rows (fitid, amount, tdate, status, ord), ord counting from 1. */
const incomingRows = (list: readonly ProviderTransactionData[]) =>
  sql`unnest(${param(list.map((t) => t.providerTransactionId))}::text[],
             ${param(list.map((t) => t.amount))}::bigint[],
             ${param(list.map((t) => t.transactionDate))}::date[],
             ${param(list.map((t) => t.status))}::text[]) WITH ORDINALITY AS u(${KEY_COLUMNS}, ord)`;

/** The account's stored rows for some provider ids, in the same shape. */
const storedRows = (tenantId: string, accountId: string, ids: readonly string[]) =>
  sql`SELECT t.provider_transaction_id AS fitid, t.amount, t.transaction_date AS tdate, t.status, t.id, t.variant,
             t.review_reason
        FROM financial_transactions t
       WHERE t.tenant_id = ${tenantId} AND t.account_id = ${accountId}
         AND t.provider_transaction_id = ANY(${param([...ids])}::text[])`;

/**
 * The provider ids under which something is new: some key (id, amount, date, status) arrives more often than it
 * is stored. One hash aggregation over both sides; a re-imported file returns nothing.
 */
async function openIds(
  db: Db,
  tenantId: string,
  accountId: string,
  incoming: readonly ProviderTransactionData[],
): Promise<Set<string>> {
  const ids = [...new Set(incoming.map((t) => t.providerTransactionId))];
  const result = await rows<{ fitid: string }>(
    db,
    sql`SELECT DISTINCT fitid FROM (
          SELECT ${KEY_COLUMNS}, sum(n_in) AS n_in, sum(n_stored) AS n_stored
            FROM (SELECT ${KEY_COLUMNS}, 1 AS n_in, 0 AS n_stored FROM ${incomingRows(incoming)}
                  UNION ALL
                  SELECT ${KEY_COLUMNS}, 0, 1 FROM (${storedRows(tenantId, accountId, ids)}) s) both_sides
           GROUP BY ${KEY_COLUMNS}) keys
         WHERE n_in > n_stored`,
  );
  return new Set(result.map((r) => r.fitid));
}

/**
 * Splits incoming transactions into those identical to stored ones (same id, amount, date and status, counted
 * occurrence by occurrence) and the rest, returning the stored rows the rest must be planned against. `fresh`
 * (an account created just now) has nothing stored.
 */
export async function classifyTransactions(
  db: Db,
  tenantId: string,
  accountId: string,
  incoming: readonly ProviderTransactionData[],
  fresh = false,
): Promise<Classified> {
  if (fresh) return { open: incoming.map((_, i) => i), stored: [] };
  if (incoming.length === 0) return { open: [], stored: [] };
  const openSet = await openIds(db, tenantId, accountId, incoming);
  if (openSet.size === 0) return { open: [], stored: [] };
  const positions = incoming.flatMap((t, i) => (openSet.has(t.providerTransactionId) ? [i] : []));
  const candidates = positions.map((i) => incoming[i]!);
  // Within the open ids, incoming and stored rows are paired by window functions (no join, so no plan that
  // depends on statistics): rows with the same key are numbered k = 1, 2, … on each side, and an incoming row
  // is matched when the stored side has the same key and k.
  const result = await rows<{
    ord: string | number | null;
    id: string | null;
    fitid: string;
    amount: string | number;
    tdate: string;
    status: string;
    variant: number | null;
    review_reason: string | null;
    paired: boolean;
  }>(
    db,
    sql`WITH side AS (
          SELECT ${KEY_COLUMNS}, ord, NULL::uuid AS id, NULL::int AS variant, NULL::text AS review_reason
            FROM ${incomingRows(candidates)}
          UNION ALL
          SELECT ${KEY_COLUMNS}, NULL, id, variant, review_reason
            FROM (${storedRows(tenantId, accountId, [...openSet])}) s),
        ranked AS (
          SELECT side.*, row_number() OVER (PARTITION BY ${KEY_COLUMNS}, ord IS NULL ORDER BY ord, variant) AS k
            FROM side),
        paired AS (
          SELECT ranked.*, count(*) OVER (PARTITION BY ${KEY_COLUMNS}, k) = 2 AS paired FROM ranked)
        SELECT ord, id, fitid, amount, tdate::text AS tdate, status, variant, review_reason, paired
          FROM paired
         WHERE ord IS NULL OR NOT paired`,
  );
  const open: number[] = [];
  const stored: StoredTransaction[] = [];
  for (const r of result) {
    if (r.ord !== null) open.push(positions[num(r.ord) - 1]!);
    else
      stored.push({
        id: r.id!,
        providerTransactionId: r.fitid,
        variant: num(r.variant),
        amount: num(r.amount),
        transactionDate: r.tdate,
        status: r.status as StoredTransaction['status'],
        reviewReason: r.review_reason as ReviewReason | null,
        claimed: r.paired,
      });
  }
  open.sort((a, b) => a - b);
  return { open, stored };
}

export interface TransactionWrite {
  txn: ProviderTransactionData;
  variant: number;
  review: ReviewReason | null;
  observedThrough: CalendarDate | null;
}

/** The transaction columns as parallel arrays, for unnest. */
function columns(list: readonly { txn: ProviderTransactionData; observedThrough: CalendarDate | null }[]) {
  const col = <T>(f: (t: ProviderTransactionData) => T) => param(list.map((w) => f(w.txn)));
  return sql`${col((t) => t.transactionType)}::text[], ${col((t) => t.subtype)}::text[],
    ${col((t) => t.status)}::text[], ${col((t) => t.amount)}::bigint[], ${col((t) => t.currency)}::text[],
    ${col((t) => t.description)}::text[], ${col((t) => t.memo)}::text[], ${col((t) => t.transactionDate)}::date[],
    ${col((t) => t.settlementDate)}::date[], ${col((t) => t.pendingTransactionId)}::text[],
    ${col((t) => t.checkNumber)}::text[], ${col((t) => t.symbol)}::text[], ${col((t) => t.quantity)}::numeric[],
    ${col((t) => t.unitPrice)}::numeric[], ${col((t) => t.commission)}::bigint[],
    ${param(list.map((w) => w.observedThrough))}::date[]`;
}

const TXN_COLUMNS = sql.raw(`transaction_type, subtype, status, amount, currency, description, memo,
  transaction_date, settlement_date, pending_transaction_id, check_number, symbol, quantity, unit_price, commission,
  observed_through`);

export async function insertTransactions(
  db: Db,
  tenantId: string,
  accountId: string,
  writes: readonly TransactionWrite[],
): Promise<void> {
  for (let i = 0; i < writes.length; i += BATCH) {
    const chunk = writes.slice(i, i + BATCH);
    await db.execute(sql`
      INSERT INTO financial_transactions (tenant_id, account_id, id, provider_transaction_id, variant, needs_review,
                                          review_reason, ${TXN_COLUMNS})
      SELECT ${tenantId}::uuid, ${accountId}::uuid, u.*
        FROM unnest(${param(chunk.map(() => uuidv7()))}::uuid[],
                    ${param(chunk.map((w) => w.txn.providerTransactionId))}::text[],
                    ${param(chunk.map((w) => w.variant))}::smallint[],
                    ${param(chunk.map((w) => w.review !== null))}::boolean[],
                    ${param(chunk.map((w) => w.review))}::text[],
                    ${columns(chunk)}) AS u`);
  }
}

/** Overwrites stored rows with a newer version of the same transaction (pending → posted, corrections). */
export async function updateTransactions(
  db: Db,
  tenantId: string,
  updates: readonly { id: string; txn: ProviderTransactionData; observedThrough: CalendarDate | null }[],
): Promise<void> {
  if (updates.length === 0) return;
  await db.execute(sql`
    UPDATE financial_transactions t
       SET (${TXN_COLUMNS}) = (u.transaction_type, u.subtype, u.status, u.amount, u.currency, u.description,
                               u.memo, u.transaction_date, u.settlement_date,
                               coalesce(u.pending_transaction_id, t.pending_transaction_id), u.check_number,
                               u.symbol, u.quantity, u.unit_price, u.commission, u.observed_through),
           updated_at = now()
      FROM unnest(${param(updates.map((u) => u.id))}::uuid[], ${columns(updates)})
           AS u(id, ${TXN_COLUMNS})
     WHERE t.tenant_id = ${tenantId} AND t.id = u.id`);
}

export async function flagTransactions(
  db: Db,
  tenantId: string,
  flags: readonly { id: string; reason: ReviewReason }[],
): Promise<void> {
  if (flags.length === 0) return;
  await db.execute(sql`
    UPDATE financial_transactions t SET needs_review = true, review_reason = u.reason, updated_at = now()
      FROM unnest(${param(flags.map((f) => f.id))}::uuid[], ${param(flags.map((f) => f.reason))}::text[])
           AS u(id, reason)
     WHERE t.tenant_id = ${tenantId} AND t.id = u.id`);
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
