import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
import { type ConnectionRow, connections, type SyncRunRow, syncRuns } from '../tables.js';

/**
 * Queries of syncs: their runs, the oldest pending transaction a window reaches back to, and the connections due for
 * a scheduled sync. Every one names the tenant but the last (the sweep runs across tenants).
 */

export async function insertRun(db: Db, row: typeof syncRuns.$inferInsert): Promise<SyncRunRow> {
  const [r] = await db.insert(syncRuns).values(row).returning();
  return r!;
}

export async function finishRun(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<
    Pick<
      SyncRunRow,
      'status' | 'result' | 'errorKind' | 'errorCode' | 'errorMessage' | 'retryAfterSeconds' | 'finishedAt'
    >
  >,
): Promise<SyncRunRow> {
  const [r] = await db
    .update(syncRuns)
    .set(changes)
    .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.id, id)))
    .returning();
  return r!;
}

/** Marks runs left `running` by a process that died as failed, so the connection can sync again. */
export async function abandonStaleRuns(
  db: Db,
  tenantId: string,
  connectionId: string,
  startedBefore: Date,
  now: Date,
): Promise<void> {
  await db
    .update(syncRuns)
    .set({
      status: 'failed',
      errorCode: 'abandoned',
      errorMessage: 'the sync never finished',
      finishedAt: now,
    })
    .where(
      and(
        eq(syncRuns.tenantId, tenantId),
        eq(syncRuns.connectionId, connectionId),
        eq(syncRuns.status, 'running'),
        lte(syncRuns.startedAt, startedBefore),
      ),
    );
}

export async function latestRuns(
  db: Db,
  tenantId: string,
  connectionId: string,
  limit: number,
): Promise<SyncRunRow[]> {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.connectionId, connectionId)))
    .orderBy(desc(syncRuns.startedAt))
    .limit(limit);
}

/** The oldest pending transaction among the connection's synced rows (a sync's window reaches back to it). */
export async function oldestPendingDate(
  db: Db,
  tenantId: string,
  connectionId: string,
): Promise<string | null> {
  const [r] = await rows<{ d: string | null }>(
    db,
    sql`SELECT min(t.transaction_date)::text AS d
          FROM financial_transactions t
          JOIN financial_accounts a ON a.tenant_id = t.tenant_id AND a.id = t.account_id
         WHERE t.tenant_id = ${tenantId} AND a.connection_id = ${connectionId} AND t.status = 'pending'
           AND t.import_id IS NULL`,
  );
  return r?.d ?? null;
}

/** Active API connections whose next sync is due, across tenants (the scheduler's sweep). */
export async function dueConnections(db: Db, now: Date, limit: number): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(connections)
    .where(
      and(
        eq(connections.status, 'active'),
        lte(connections.nextSyncAt, now),
        sql`${connections.authType} <> 'file_import'`,
      ),
    )
    .orderBy(asc(connections.nextSyncAt))
    .limit(limit);
}
