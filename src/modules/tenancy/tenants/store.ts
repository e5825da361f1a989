import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type ApiKeyRow, apiKeys, type TenantRow, tenants } from '../tables.js';

export async function insertTenant(db: Db, row: typeof tenants.$inferInsert): Promise<TenantRow> {
  const [r] = await db.insert(tenants).values(row).returning();
  return r!;
}

export async function findTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  const [r] = await db.select().from(tenants).where(eq(tenants.id, id));
  return r;
}

export async function insertApiKey(db: Db, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [r] = await db.insert(apiKeys).values(row).returning();
  return r!;
}

/** The live key with this hash, whichever tenant holds it (authentication runs before the tenant is known). */
export async function findLiveKeyByHash(
  db: Db,
  hash: Buffer,
): Promise<(ApiKeyRow & { tenantStatus: string }) | undefined> {
  const [r] = await db
    .select({ key: apiKeys, tenantStatus: tenants.status })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(
      and(
        eq(apiKeys.keyHash, hash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    );
  return r ? { ...r.key, tenantStatus: r.tenantStatus } : undefined;
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(asc(apiKeys.createdAt));
}

/**
 * Locks the tenant row for the rest of the transaction: changes to its admin keys take it first, so two of them
 * (two admins revoking each other) run one after the other and the second sees the first's effect.
 */
export async function lockTenant(db: Db, tenantId: string): Promise<void> {
  await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
}

export async function revokeApiKey(db: Db, tenantId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [r] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return r;
}

export async function countLiveAdminKeys(db: Db, tenantId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    // A key that expires (a console sign-in's) does not keep a tenant from locking itself out.
    .where(
      and(
        eq(apiKeys.tenantId, tenantId),
        eq(apiKeys.role, 'admin'),
        isNull(apiKeys.revokedAt),
        isNull(apiKeys.expiresAt),
      ),
    );
  return r?.n ?? 0;
}
