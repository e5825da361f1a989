import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import type { ConnectionStatus } from '../domain/connection-status.js';
import { type ConnectionRow, connections } from '../tables.js';

/** Queries on connections. Every one names the tenant, except the two of key rotation, which walk every tenant. */

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

/** Every connection holding sealed credentials, of every tenant (`plinth keys rotate`). */
export async function connectionsWithCredentials(db: Db): Promise<ConnectionRow[]> {
  return db.select().from(connections).where(isNotNull(connections.credentials));
}

/** Stores re-sealed credentials, only if unchanged meanwhile: a sync may have just stored refreshed tokens. */
export async function resealCredentials(db: Db, row: ConnectionRow, sealed: string): Promise<void> {
  await db
    .update(connections)
    .set({ credentials: sealed })
    .where(
      and(
        eq(connections.tenantId, row.tenantId),
        eq(connections.id, row.id),
        eq(connections.credentials, row.credentials!),
      ),
    );
}
