import { and, desc, eq, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type CustomerRow, customers } from '../tables.js';

export async function insertCustomer(db: Db, row: typeof customers.$inferInsert): Promise<CustomerRow> {
  const [r] = await db.insert(customers).values(row).returning();
  return r!;
}

export async function findCustomer(db: Db, tenantId: string, id: string): Promise<CustomerRow | undefined> {
  const [r] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  return r;
}

export async function findCustomers(db: Db, tenantId: string, ids: string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
}

/** Keyset pagination on the time-ordered id. */
export async function listCustomers(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string; q?: string },
): Promise<CustomerRow[]> {
  // A search is a case-insensitive substring of the name, e-mail or reference (the console's customer search).
  const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        opts.before ? lt(customers.id, opts.before) : undefined,
        like
          ? or(
              ilike(customers.legalName, like),
              ilike(customers.email, like),
              ilike(customers.externalRef, like),
            )
          : undefined,
      ),
    )
    .orderBy(desc(customers.id))
    .limit(opts.limit);
}

export async function updateCustomer(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<typeof customers.$inferInsert>,
): Promise<CustomerRow | undefined> {
  const [r] = await db
    .update(customers)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .returning();
  return r;
}
