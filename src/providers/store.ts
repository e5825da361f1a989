import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db } from '../kernel/db.js';
import { isUuid } from '../kernel/ids.js';

export const providerConfigs = pgTable(
  'provider_configs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    label: text('label').notNull(),
    serviceType: text('service_type').notNull(),
    providerKey: text('provider_key').notNull(),
    /** Fernet token. */
    config: text('config').notNull(),
    isActive: boolean('is_active').notNull(),
    isDefault: boolean('is_default').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const providerAssignments = pgTable(
  'provider_assignments',
  {
    tenantId: uuid('tenant_id').notNull(),
    programId: uuid('program_id').notNull(),
    serviceType: text('service_type').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.programId, t.serviceType] })],
);

export type ProviderConfigRow = typeof providerConfigs.$inferSelect;

const live = (tenantId: string) =>
  and(eq(providerConfigs.tenantId, tenantId), isNull(providerConfigs.deletedAt));

export async function findConfig(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ProviderConfigRow | undefined> {
  // An id that is not a UUID names no config (the column would refuse it, as a 500): the callers' 404 or 422.
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(providerConfigs)
    .where(and(live(tenantId), eq(providerConfigs.id, id)));
  return row;
}

/** For inbound webhooks that name a config before the tenant is known. */
export async function findConfigById(db: Db, id: string): Promise<ProviderConfigRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(providerConfigs)
    .where(and(eq(providerConfigs.id, id), isNull(providerConfigs.deletedAt)));
  return row;
}

export async function listConfigs(
  db: Db,
  tenantId: string,
  serviceType?: string,
): Promise<ProviderConfigRow[]> {
  return db
    .select()
    .from(providerConfigs)
    .where(and(live(tenantId), serviceType ? eq(providerConfigs.serviceType, serviceType) : undefined))
    .orderBy(asc(providerConfigs.createdAt), asc(providerConfigs.id));
}

/** Every config of every tenant, deleted ones included (key rotation). */
export async function listAllConfigs(db: Db): Promise<ProviderConfigRow[]> {
  return db.select().from(providerConfigs);
}

/** Re-sealed config text, written only if the row still holds the token it was read with. */
export async function replaceSealedConfig(db: Db, row: ProviderConfigRow, sealed: string): Promise<void> {
  await db
    .update(providerConfigs)
    .set({ config: sealed })
    .where(
      and(
        eq(providerConfigs.tenantId, row.tenantId),
        eq(providerConfigs.id, row.id),
        eq(providerConfigs.config, row.config),
      ),
    );
}

export async function insertConfig(
  db: Db,
  row: typeof providerConfigs.$inferInsert,
): Promise<ProviderConfigRow> {
  const [created] = await db.insert(providerConfigs).values(row).returning();
  return created!;
}

export async function updateConfig(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<Pick<ProviderConfigRow, 'label' | 'config' | 'isActive' | 'isDefault'>>,
): Promise<ProviderConfigRow | undefined> {
  const [row] = await db
    .update(providerConfigs)
    .set({ ...changes, version: sql`${providerConfigs.version} + 1`, updatedAt: sql`now()` })
    .where(and(live(tenantId), eq(providerConfigs.id, id)))
    .returning();
  return row;
}

/** Clears the current default of a service type (before another config becomes the default). */
export async function clearDefault(
  db: Db,
  tenantId: string,
  serviceType: string,
  exceptId: string,
): Promise<void> {
  await db
    .update(providerConfigs)
    .set({ isDefault: false, version: sql`${providerConfigs.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        live(tenantId),
        eq(providerConfigs.serviceType, serviceType),
        eq(providerConfigs.isDefault, true),
        sql`${providerConfigs.id} <> ${exceptId}`,
      ),
    );
}

export async function softDeleteConfig(db: Db, tenantId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db
    .update(providerConfigs)
    .set({
      deletedAt: sql`now()`,
      isDefault: false,
      isActive: false,
      version: sql`${providerConfigs.version} + 1`,
    })
    .where(and(live(tenantId), eq(providerConfigs.id, id)))
    .returning({ id: providerConfigs.id });
  return rows.length > 0;
}

/** Program assignments naming the config (set assignments are counted by set-store.ts). */
export async function countAssignmentsOf(db: Db, tenantId: string, configId: string): Promise<number> {
  if (!isUuid(configId)) return 0;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(providerAssignments)
    .where(
      and(eq(providerAssignments.tenantId, tenantId), eq(providerAssignments.providerConfigId, configId)),
    );
  return r?.n ?? 0;
}

export async function upsertAssignment(
  db: Db,
  row: { tenantId: string; programId: string; serviceType: string; providerConfigId: string },
): Promise<void> {
  await db
    .insert(providerAssignments)
    .values(row)
    .onConflictDoUpdate({
      target: [providerAssignments.tenantId, providerAssignments.programId, providerAssignments.serviceType],
      set: { providerConfigId: row.providerConfigId, updatedAt: sql`now()` },
    });
}

export async function deleteAssignment(
  db: Db,
  tenantId: string,
  programId: string,
  serviceType: string,
): Promise<boolean> {
  const rows = await db
    .delete(providerAssignments)
    .where(
      and(
        eq(providerAssignments.tenantId, tenantId),
        eq(providerAssignments.programId, programId),
        eq(providerAssignments.serviceType, serviceType),
      ),
    )
    .returning({ id: providerAssignments.programId });
  return rows.length > 0;
}

export interface ResolvedRow {
  source: 'program' | 'tenant_default';
  row: ProviderConfigRow;
}

/**
 * The resolution chain: the program's assignment when it points at an active config, else the tenant's active
 * default for the service type.
 */
export async function resolveRow(
  db: Db,
  tenantId: string,
  serviceType: string,
  programId: string | null,
): Promise<ResolvedRow | undefined> {
  const assigned = programId
    ? await db
        .select({ row: providerConfigs })
        .from(providerAssignments)
        .innerJoin(
          providerConfigs,
          and(
            eq(providerConfigs.tenantId, providerAssignments.tenantId),
            eq(providerConfigs.id, providerAssignments.providerConfigId),
          ),
        )
        .where(
          and(
            eq(providerAssignments.tenantId, tenantId),
            eq(providerAssignments.programId, programId),
            eq(providerAssignments.serviceType, serviceType),
            eq(providerConfigs.isActive, true),
            isNull(providerConfigs.deletedAt),
          ),
        )
    : [];
  if (assigned[0]) return { source: 'program', row: assigned[0].row };
  const [def] = await db
    .select()
    .from(providerConfigs)
    .where(
      and(
        live(tenantId),
        eq(providerConfigs.serviceType, serviceType),
        eq(providerConfigs.isDefault, true),
        eq(providerConfigs.isActive, true),
      ),
    );
  return def ? { source: 'tenant_default', row: def } : undefined;
}
