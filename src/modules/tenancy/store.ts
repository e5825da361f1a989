import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { boolean, date, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, type Db } from '../../kernel/db.js';

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status').notNull().default('active'),
  timeZone: text('time_zone').notNull().default('UTC'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: bytea('key_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export interface Address {
  lines: string[];
  city: string;
  state: string | null;
  postal_code: string | null;
  country: string;
}

export const customers = pgTable(
  'customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    externalRef: text('external_ref'),
    legalName: text('legal_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    address: jsonb('address').$type<Address>(),
    dateOfBirth: date('date_of_birth'),
    timeZone: text('time_zone'),
    coveredMilitaryBorrower: boolean('covered_military_borrower').notNull().default(false),
    activeDutyStartDate: date('active_duty_start_date'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    changes: jsonb('changes').$type<Record<string, unknown>>().notNull(),
    requestId: text('request_id'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type TenantRow = typeof tenants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;

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
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
  return r ? { ...r.key, tenantStatus: r.tenantStatus } : undefined;
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(asc(apiKeys.createdAt));
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
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.role, 'admin'), isNull(apiKeys.revokedAt)));
  return r?.n ?? 0;
}

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

export async function findCustomerByRef(
  db: Db,
  tenantId: string,
  ref: string,
): Promise<CustomerRow | undefined> {
  const [r] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.externalRef, ref)));
  return r;
}

/** Keyset pagination on the time-ordered id. */
export async function listCustomers(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string },
): Promise<CustomerRow[]> {
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), opts.before ? lt(customers.id, opts.before) : undefined))
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

export async function insertAudit(db: Db, row: typeof auditLog.$inferInsert): Promise<void> {
  await db.insert(auditLog).values(row);
}

export async function listAudit(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string; entityType?: string; entityId?: string },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        opts.before ? lt(auditLog.id, opts.before) : undefined,
        opts.entityType ? eq(auditLog.entityType, opts.entityType) : undefined,
        opts.entityId ? eq(auditLog.entityId, opts.entityId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}
