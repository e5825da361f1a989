import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type TenantKeyRow, tenantKeys } from '../tables.js';

/** Queries of file imports: the per-tenant keys of account pseudonyms (the import's own rows: staging-store.ts). */

/** Deduplication sorts and hashes a whole statement at once: give it memory instead of temporary files. */
export async function useMemoryForDedup(tx: Db): Promise<void> {
  await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
}

/** Stores the tenant's key for `purpose` unless it has one already (the first one stored wins a race). */
export async function insertTenantKey(db: Db, row: typeof tenantKeys.$inferInsert): Promise<void> {
  await db.insert(tenantKeys).values(row).onConflictDoNothing();
}

export async function findTenantKey(
  db: Db,
  tenantId: string,
  purpose: string,
): Promise<TenantKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(tenantKeys)
    .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.purpose, purpose)));
  return row;
}

/** Every tenant's keys (`plinth keys rotate`). */
export async function allTenantKeys(db: Db): Promise<TenantKeyRow[]> {
  return db.select().from(tenantKeys);
}

/** Stores a re-sealed key, only if unchanged meanwhile. */
export async function resealTenantKey(db: Db, row: TenantKeyRow, sealed: string): Promise<void> {
  await db
    .update(tenantKeys)
    .set({ sealed })
    .where(
      and(
        eq(tenantKeys.tenantId, row.tenantId),
        eq(tenantKeys.purpose, row.purpose),
        eq(tenantKeys.sealed, row.sealed),
      ),
    );
}
