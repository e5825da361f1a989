import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type PaymentMethodRow, paymentMethods, processorCustomers } from '../tables.js';

export async function findProcessorCustomer(
  db: Db,
  tenantId: string,
  customerId: string,
  configId: string,
): Promise<string | undefined> {
  const [r] = await db
    .select({ ref: processorCustomers.customerRef })
    .from(processorCustomers)
    .where(
      and(
        eq(processorCustomers.tenantId, tenantId),
        eq(processorCustomers.customerId, customerId),
        eq(processorCustomers.providerConfigId, configId),
      ),
    );
  return r?.ref;
}

/** Records the processor's customer; a concurrent request that made another one first keeps its own. */
export async function saveProcessorCustomer(
  db: Db,
  row: typeof processorCustomers.$inferInsert,
): Promise<void> {
  await db.insert(processorCustomers).values(row).onConflictDoNothing();
}

/** Inserts the method, or answers the one already stored for the same processor method. */
export async function insertMethod(
  db: Db,
  row: typeof paymentMethods.$inferInsert,
): Promise<PaymentMethodRow> {
  const [created] = await db.insert(paymentMethods).values(row).onConflictDoNothing().returning();
  if (created) return created;
  const [existing] = await db
    .select()
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.tenantId, row.tenantId),
        eq(paymentMethods.providerConfigId, row.providerConfigId),
        eq(paymentMethods.methodRef, row.methodRef),
      ),
    );
  return existing!;
}

export async function findMethod(
  db: Db,
  tenantId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  const [r] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.id, id)));
  return r;
}

export async function listMethods(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string; customerId?: string },
): Promise<PaymentMethodRow[]> {
  return db
    .select()
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.tenantId, tenantId),
        opts.customerId ? eq(paymentMethods.customerId, opts.customerId) : undefined,
        opts.before ? lt(paymentMethods.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(paymentMethods.id))
    .limit(opts.limit);
}

/** A bank debit was initiated under the method's mandate: later debits reuse the processor's mandate. */
export async function markMandateUsed(db: Db, tenantId: string, id: string): Promise<void> {
  await db
    .update(paymentMethods)
    .set({ mandateUsed: true })
    .where(and(eq(paymentMethods.tenantId, tenantId), eq(paymentMethods.id, id)));
}
