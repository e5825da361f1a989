import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { accountsChangedSql } from '../cash-flow/store.js';
import type { ProviderAccountData } from '../domain/types.js';
import { num, param } from '../ingest/store.js';
import { imports } from '../tables.js';

/**
 * The SQL of a staged import (migration 0014): the import row that makes its transactions visible when it is
 * published, the accounts it holds while staging, and the deletes that take back an import that failed or died.
 *
 * Taking an import back goes in three steps, in this order: mark it `abandoned` (its writer's next heartbeat
 * fails, and a chunk in flight holds the row's lock, so nothing of it commits after the mark), delete its rows
 * account by account while the accounts stay held (no other import can meet its rows in the unique index), then
 * delete the import row and what it created, and let go of the accounts.
 */

/** Rows per DELETE when an import is taken back: each is its own short transaction. */
const DELETE_BATCH = 5_000;

export async function insertStagingImport(db: Db, row: typeof imports.$inferInsert): Promise<void> {
  await db.insert(imports).values({ ...row, status: 'staging', heartbeatAt: sql`now()` });
}

export type AccountClaim =
  | { ok: true; id: string; created: boolean; previous: string | null }
  | { ok: false; busyWith: string };

/**
 * Holds the account for the import: created bare if new (its figures come when the import publishes), or taken
 * from a staging import whose heartbeat is older than `staleSeconds` (`previous`: its rows must be deleted). An
 * account held by a live import is refused.
 */
export async function claimAccount(
  db: Db,
  row: { tenantId: string; importId: string; connectionId: string; customerId: string },
  account: ProviderAccountData,
  staleSeconds: number,
): Promise<AccountClaim> {
  const [inserted] = await rows<{ id: string }>(
    db,
    sql`INSERT INTO financial_accounts (tenant_id, id, connection_id, customer_id, provider_account_id,
                                        account_number_masked, name, account_type, currency, is_active, staged_by)
        VALUES (${row.tenantId}, ${uuidv7()}, ${row.connectionId}, ${row.customerId}, ${account.providerAccountId},
                ${account.accountNumberMasked}, ${account.name}, ${account.accountType}, ${account.currency},
                ${account.isActive}, ${row.importId})
        ON CONFLICT (tenant_id, connection_id, provider_account_id) DO NOTHING
        RETURNING id, ${accountsChangedSql(sql`tenant_id`)}`,
  );
  if (inserted) return { ok: true, id: inserted.id, created: true, previous: null };
  const [held] = await rows<{ id: string; staged_by: string | null; live: boolean | null }>(
    db,
    sql`SELECT a.id, a.staged_by, i.heartbeat_at > now() - make_interval(secs => ${staleSeconds}::int) AS live
          FROM financial_accounts a
          LEFT JOIN financial_imports i
            ON i.tenant_id = a.tenant_id AND i.id = a.staged_by AND i.status = 'staging'
         WHERE a.tenant_id = ${row.tenantId} AND a.connection_id = ${row.connectionId}
           AND a.provider_account_id = ${account.providerAccountId}
           FOR UPDATE OF a`,
  );
  if (held!.staged_by && held!.live) return { ok: false, busyWith: held!.staged_by };
  await db.execute(sql`UPDATE financial_accounts SET staged_by = ${row.importId}
                        WHERE tenant_id = ${row.tenantId} AND id = ${held!.id}`);
  return { ok: true, id: held!.id, created: false, previous: held!.staged_by };
}

/**
 * Keeps the import alive, in the transaction of each chunk it stages. False when it is no longer staging: another
 * import took its accounts over (it looked dead) and its rows are being deleted, so it must stop.
 */
export async function heartbeat(db: Db, tenantId: string, importId: string): Promise<boolean> {
  const touched = await rows<{ id: string }>(
    db,
    sql`UPDATE financial_imports SET heartbeat_at = now()
         WHERE tenant_id = ${tenantId} AND id = ${importId} AND status = 'staging' RETURNING id`,
  );
  return touched.length === 1;
}

/**
 * Makes the import's rows visible and lets go of its accounts, in the publishing transaction. False when it was
 * taken over meanwhile (nothing then changes).
 */
export async function publishImport(
  db: Db,
  tenantId: string,
  importId: string,
  result: Record<string, unknown>,
): Promise<boolean> {
  const published = await rows<{ id: string }>(
    db,
    sql`UPDATE financial_imports SET status = 'published', heartbeat_at = NULL, result = ${JSON.stringify(result)}::jsonb
         WHERE tenant_id = ${tenantId} AND id = ${importId} AND status = 'staging' RETURNING id`,
  );
  if (published.length === 0) return false;
  await db.execute(sql`UPDATE financial_accounts SET staged_by = NULL
                        WHERE tenant_id = ${tenantId} AND staged_by = ${importId}`);
  return true;
}

/** Deletes an import's staged rows from the accounts, a short statement at a time. */
export async function deleteStagedRows(
  db: Db,
  tenantId: string,
  accountIds: readonly string[],
  importId: string,
): Promise<void> {
  if (accountIds.length === 0) return;
  for (;;) {
    const deleted = await rows<{ n: string | number }>(
      db,
      sql`WITH gone AS (
            DELETE FROM financial_transactions
             WHERE tenant_id = ${tenantId}
               AND id IN (SELECT id FROM financial_transactions
                           WHERE tenant_id = ${tenantId} AND account_id = ANY(${param([...accountIds])}::uuid[])
                             AND import_id = ${importId}
                           LIMIT ${DELETE_BATCH})
            RETURNING 1)
          SELECT count(*) AS n FROM gone`,
    );
    if (num(deleted[0]!.n) < DELETE_BATCH) return;
  }
}

/**
 * Step one of taking an import back; false when it was no longer staging (published, or already abandoned), or,
 * given `staleSeconds`, when it has shown a heartbeat since then (it is alive).
 */
export async function markAbandoned(
  db: Db,
  tenantId: string,
  importId: string,
  staleSeconds: number | null = null,
): Promise<boolean> {
  const marked = await rows<{ id: string }>(
    db,
    sql`UPDATE financial_imports SET status = 'abandoned', heartbeat_at = now()
         WHERE tenant_id = ${tenantId} AND id = ${importId} AND status = 'staging'
           AND (${staleSeconds}::int IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleSeconds}::int))
        RETURNING id`,
  );
  return marked.length === 1;
}

/**
 * Step three: deletes the abandoned import's row, the accounts and the file connection it created (in its first
 * transaction, so they share that transaction's `now()` as `created_at`) when nothing is stored in them, and lets
 * go of its other accounts.
 */
export async function deleteAbandonedImport(db: Db, tenantId: string, importId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await rows<{ created_at: Date; connection_id: string }>(
      tx,
      sql`DELETE FROM financial_imports
           WHERE tenant_id = ${tenantId} AND id = ${importId} AND status = 'abandoned'
          RETURNING created_at, connection_id`,
    );
    if (!row) return;
    await tx.execute(sql`
      DELETE FROM financial_accounts a
       WHERE a.tenant_id = ${tenantId} AND a.staged_by = ${importId} AND a.created_at = ${row.created_at}
         AND NOT EXISTS (SELECT 1 FROM financial_transactions t WHERE t.tenant_id = a.tenant_id AND t.account_id = a.id)
         AND NOT EXISTS (SELECT 1 FROM financial_holdings h WHERE h.tenant_id = a.tenant_id AND h.account_id = a.id)
         AND NOT EXISTS (SELECT 1 FROM financial_balance_snapshots s
                          WHERE s.tenant_id = a.tenant_id AND s.account_id = a.id)`);
    await tx.execute(sql`UPDATE financial_accounts SET staged_by = NULL
                          WHERE tenant_id = ${tenantId} AND staged_by = ${importId}`);
    await tx.execute(sql`
      DELETE FROM financial_connections c
       WHERE c.tenant_id = ${tenantId} AND c.id = ${row.connection_id} AND c.created_at = ${row.created_at}
         AND NOT EXISTS (SELECT 1 FROM financial_accounts a WHERE a.tenant_id = c.tenant_id AND a.connection_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM financial_imports i WHERE i.tenant_id = c.tenant_id AND i.connection_id = c.id)`);
  });
}

/** The accounts an import holds (its rows are in them). */
export async function accountsHeldBy(db: Db, tenantId: string, importId: string): Promise<string[]> {
  const held = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM financial_accounts WHERE tenant_id = ${tenantId} AND staged_by = ${importId}`,
  );
  return held.map((r) => r.id);
}

/**
 * Imports to take back, across tenants: abandoned ones not yet deleted, and staging ones whose heartbeat stopped
 * over `staleSeconds` ago (their process died).
 */
export async function importsToTakeBack(
  db: Db,
  staleSeconds: number,
): Promise<{ tenantId: string; id: string; status: string }[]> {
  const found = await rows<{ tenant_id: string; id: string; status: string }>(
    db,
    sql`SELECT tenant_id, id, status FROM financial_imports
         WHERE status = 'abandoned'
            OR (status = 'staging' AND heartbeat_at < now() - make_interval(secs => ${staleSeconds}::int))
         LIMIT 100`,
  );
  return found.map((r) => ({ tenantId: r.tenant_id, id: r.id, status: r.status }));
}
