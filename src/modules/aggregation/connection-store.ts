import { and, asc, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import { type Db, rows } from '../../kernel/db.js';
import type { ConnectionStatus } from './domain/connection-status.js';
import { type ConnectionRow, connections, oauthStates, type SyncRunRow, syncRuns } from './store.js';

/** Queries on connections, OAuth states and sync runs. Every one names the tenant, except the two noted. */

export async function insertConnection(db: Db, row: typeof connections.$inferInsert): Promise<ConnectionRow> {
  const [r] = await db.insert(connections).values(row).returning();
  return r!;
}

export async function findConnection(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ConnectionRow | undefined> {
  const [r] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.tenantId, tenantId), eq(connections.id, id)));
  return r;
}

export async function listConnections(
  db: Db,
  tenantId: string,
  customerId?: string,
): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(connections)
    .where(
      and(
        eq(connections.tenantId, tenantId),
        customerId ? eq(connections.customerId, customerId) : undefined,
      ),
    )
    .orderBy(desc(connections.id));
}

/** The customer's live file-import connection for a provider, created on first use. */
export async function fileImportConnection(
  db: Db,
  row: Pick<
    typeof connections.$inferInsert,
    'tenantId' | 'id' | 'customerId' | 'providerKey' | 'providerConfigId'
  >,
): Promise<ConnectionRow> {
  await db
    .insert(connections)
    .values({ ...row, authType: 'file_import', status: 'active', connectedAt: sql`now()` })
    .onConflictDoNothing();
  const [r] = await db
    .select()
    .from(connections)
    .where(
      and(
        eq(connections.tenantId, row.tenantId),
        eq(connections.customerId, row.customerId),
        eq(connections.providerKey, row.providerKey),
        eq(connections.authType, 'file_import'),
        sql`${connections.status} <> 'disconnected'`,
      ),
    );
  return r!;
}

/**
 * Moves a connection from `from` to `to` (and sets `changes`) only if it is still in `from`: two requests racing
 * on one connection cannot both win.
 */
export async function moveConnection(
  db: Db,
  tenantId: string,
  id: string,
  from: ConnectionStatus,
  to: ConnectionStatus,
  changes: Partial<
    Pick<ConnectionRow, 'statusReason' | 'credentials' | 'connectedAt' | 'nextSyncAt' | 'lastSyncAt'>
  > = {},
): Promise<ConnectionRow | undefined> {
  const [r] = await db
    .update(connections)
    .set({ statusReason: null, ...changes, status: to, updatedAt: sql`now()` })
    .where(and(eq(connections.tenantId, tenantId), eq(connections.id, id), eq(connections.status, from)))
    .returning();
  return r;
}

export async function updateConnection(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<Pick<ConnectionRow, 'credentials' | 'nextSyncAt' | 'lastSyncAt'>>,
): Promise<void> {
  await db
    .update(connections)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(connections.tenantId, tenantId), eq(connections.id, id)));
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

export async function insertState(db: Db, row: typeof oauthStates.$inferInsert): Promise<void> {
  await db.insert(oauthStates).values(row);
}

export type StateRow = typeof oauthStates.$inferSelect;

/**
 * Spends a state: one UPDATE that succeeds only while the state is unused and unexpired, so a state works once
 * even under concurrent callbacks. Looked up by hash before the tenant is known (the callback is public).
 */
export async function consumeState(
  db: Db,
  stateHash: Buffer,
  providerKey: string,
  now: Date,
): Promise<StateRow | undefined> {
  const [r] = await db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthStates.stateHash, stateHash),
        eq(oauthStates.providerKey, providerKey),
        isNull(oauthStates.usedAt),
        sql`${oauthStates.expiresAt} > ${now}`,
      ),
    )
    .returning();
  return r;
}

/** Why a state could not be spent, for the error message (no tenant is known yet either). */
export async function stateProblem(
  db: Db,
  stateHash: Buffer,
  providerKey: string,
): Promise<'unknown' | 'used' | 'expired'> {
  const [r] = await db
    .select({ usedAt: oauthStates.usedAt })
    .from(oauthStates)
    .where(and(eq(oauthStates.stateHash, stateHash), eq(oauthStates.providerKey, providerKey)));
  if (!r) return 'unknown';
  return r.usedAt ? 'used' : 'expired';
}

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

/** The oldest pending transaction among the connection's accounts (a sync's window reaches back to it). */
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
         WHERE t.tenant_id = ${tenantId} AND a.connection_id = ${connectionId} AND t.status = 'pending'`,
  );
  return r?.d ?? null;
}
