import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type ExpenseCategoryRow, expenseCategories } from '../tables.js';

const byId = (tenantId: string, id: string) =>
  and(eq(expenseCategories.tenantId, tenantId), eq(expenseCategories.id, id));

export async function insertCategory(
  db: Db,
  row: typeof expenseCategories.$inferInsert,
): Promise<ExpenseCategoryRow> {
  const [created] = await db.insert(expenseCategories).values(row).returning();
  return created!;
}

export async function findCategory(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ExpenseCategoryRow | undefined> {
  const [row] = await db.select().from(expenseCategories).where(byId(tenantId, id));
  return row;
}

export async function findCategoryIdByCode(
  db: Db,
  tenantId: string,
  code: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: expenseCategories.id })
    .from(expenseCategories)
    .where(and(eq(expenseCategories.tenantId, tenantId), eq(expenseCategories.code, code)));
  return row?.id;
}

export async function findCategoryIdsByCodes(db: Db, tenantId: string, codes: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: expenseCategories.id })
    .from(expenseCategories)
    .where(and(eq(expenseCategories.tenantId, tenantId), inArray(expenseCategories.code, codes)));
  return rows.map((r) => r.id);
}

/** Keyset pagination on the time-ordered id, newest first. */
export async function listCategories(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string; includeTerminated?: boolean },
): Promise<ExpenseCategoryRow[]> {
  return db
    .select()
    .from(expenseCategories)
    .where(
      and(
        eq(expenseCategories.tenantId, tenantId),
        opts.before ? lt(expenseCategories.id, opts.before) : undefined,
        opts.includeTerminated ? undefined : isNull(expenseCategories.terminatedAt),
      ),
    )
    .orderBy(desc(expenseCategories.id))
    .limit(opts.limit);
}

/** Terminates the category unless it already is; undefined when it was. */
export async function terminateCategory(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ExpenseCategoryRow | undefined> {
  const [updated] = await db
    .update(expenseCategories)
    .set({ terminatedAt: sql`now()` })
    .where(and(byId(tenantId, id), isNull(expenseCategories.terminatedAt)))
    .returning();
  return updated;
}

/** A category's termination, when it exists in the tenant (for a new line of credit). */
export async function categoryTermination(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ terminatedAt: Date | null } | undefined> {
  const [row] = await db
    .select({ terminatedAt: expenseCategories.terminatedAt })
    .from(expenseCategories)
    .where(byId(tenantId, id));
  return row;
}
