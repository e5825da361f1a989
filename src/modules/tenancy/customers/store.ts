import { and, desc, eq, ilike, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
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

/** Every customer with a sealed tax id, of every tenant (`plinth keys rotate`). */
export async function customersWithTaxId(db: Db): Promise<CustomerRow[]> {
  return db.select().from(customers).where(isNotNull(customers.taxIdSealed));
}

/** Stores a re-sealed tax id, only if the customer still holds the token that was re-sealed. */
export async function resealTaxId(db: Db, row: CustomerRow, sealed: string): Promise<void> {
  await db
    .update(customers)
    .set({ taxIdSealed: sealed })
    .where(
      and(
        eq(customers.tenantId, row.tenantId),
        eq(customers.id, row.id),
        eq(customers.taxIdSealed, row.taxIdSealed!),
      ),
    );
}

/** The sealed tax ids of some customers of a tenant (credit reporting opens them). */
export async function sealedTaxIds(
  db: Db,
  tenantId: string,
  ids: string[],
): Promise<{ id: string; taxIdSealed: string }[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: customers.id, taxIdSealed: customers.taxIdSealed })
    .from(customers)
    .where(
      and(eq(customers.tenantId, tenantId), inArray(customers.id, ids), isNotNull(customers.taxIdSealed)),
    );
  return found as { id: string; taxIdSealed: string }[];
}
