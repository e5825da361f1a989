import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import type { ReviewReason, StoredTransaction } from '../domain/dedup.js';
import type { ProviderTransactionData } from '../domain/types.js';
import { num, param } from './store.js';

/**
 * The set-based SQL behind ingesting transactions (domain/dedup.ts decides). Arrays travel as single parameters and
 * are unnested on the server, so a statement of any size costs a handful of round trips, and deduplication is an
 * anti-join in the database: a re-imported file transfers nothing back.
 */

// Rows per INSERT. Embedded PGlite has one connection, so a statement is the longest time no other request (a card
// decision) reaches the database: 2,000 rows keep it short there, and on PostgreSQL cost a few more round trips
// than 10,000 did (noise beside the import's other work).
const BATCH = 2_000;

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

/**
 * Inserts new rows, `BATCH` per statement, each through `write` (the caller's transaction, or a short one of its
 * own for a staged import). `importId` marks the rows of a file import.
 */
export async function insertTransactions(
  db: Db,
  tenantId: string,
  accountId: string,
  writes: readonly TransactionWrite[],
  importId: string | null = null,
  write: (statement: (db: Db) => Promise<void>) => Promise<void> = (statement) => statement(db),
): Promise<void> {
  for (let i = 0; i < writes.length; i += BATCH) {
    const chunk = writes.slice(i, i + BATCH);
    await write(async (db) => {
      await db.execute(sql`
      INSERT INTO financial_transactions (tenant_id, account_id, import_id, id, provider_transaction_id, variant,
                                          needs_review, review_reason, ${TXN_COLUMNS})
      SELECT ${tenantId}::uuid, ${accountId}::uuid, ${importId}::uuid, u.*
        FROM unnest(${param(chunk.map(() => uuidv7()))}::uuid[],
                    ${param(chunk.map((w) => w.txn.providerTransactionId))}::text[],
                    ${param(chunk.map((w) => w.variant))}::smallint[],
                    ${param(chunk.map((w) => w.review !== null))}::boolean[],
                    ${param(chunk.map((w) => w.review))}::text[],
                    ${columns(chunk)}) AS u`);
    });
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
