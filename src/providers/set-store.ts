import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db } from '../kernel/db.js';
import { type ProviderConfigRow, providerConfigs } from './store.js';

/**
 * Program overrides of a set of configs (migrations/0008_provider_sets.sql): for service types of which several
 * providers are active at once (compliance rules), a program replaces the tenant's configs of one provider key by
 * one config, or switches the key off (`provider_config_id` null).
 */
export const providerSetAssignments = pgTable(
  'provider_set_assignments',
  {
    tenantId: uuid('tenant_id').notNull(),
    programId: uuid('program_id').notNull(),
    serviceType: text('service_type').notNull(),
    providerKey: text('provider_key').notNull(),
    providerConfigId: uuid('provider_config_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.programId, t.serviceType, t.providerKey] })],
);

export type SetAssignmentRow = typeof providerSetAssignments.$inferSelect;

export interface SetMemberRow {
  source: 'tenant' | 'program';
  row: ProviderConfigRow;
}

/**
 * The configs a tenant (and a program) applies of a set service type: every active config of the tenant, except
 * that a program's override of a provider key replaces all of that key's configs by the one it names (active or
 * not: an inactive config is one only the programs that name it use) or by none. Ordered by key, then creation.
 */
export async function resolveSetRows(
  db: Db,
  tenantId: string,
  serviceType: string,
  programId: string | null,
): Promise<SetMemberRow[]> {
  const configs = await db
    .select()
    .from(providerConfigs)
    .where(
      and(
        eq(providerConfigs.tenantId, tenantId),
        eq(providerConfigs.serviceType, serviceType),
        isNull(providerConfigs.deletedAt),
      ),
    )
    .orderBy(asc(providerConfigs.providerKey), asc(providerConfigs.createdAt), asc(providerConfigs.id));
  const overrides = programId ? await listSetAssignments(db, tenantId, programId, serviceType) : [];
  const overridden = new Map(overrides.map((o) => [o.providerKey, o.providerConfigId]));
  const members: SetMemberRow[] = [];
  for (const row of configs) {
    if (!overridden.has(row.providerKey)) {
      if (row.isActive) members.push({ source: 'tenant', row });
    } else if (overridden.get(row.providerKey) === row.id) members.push({ source: 'program', row });
  }
  return members;
}

export async function listSetAssignments(
  db: Db,
  tenantId: string,
  programId: string,
  serviceType?: string,
): Promise<SetAssignmentRow[]> {
  return db
    .select()
    .from(providerSetAssignments)
    .where(
      and(
        eq(providerSetAssignments.tenantId, tenantId),
        eq(providerSetAssignments.programId, programId),
        serviceType ? eq(providerSetAssignments.serviceType, serviceType) : undefined,
      ),
    )
    .orderBy(asc(providerSetAssignments.serviceType), asc(providerSetAssignments.providerKey));
}

export async function upsertSetAssignment(
  db: Db,
  row: {
    tenantId: string;
    programId: string;
    serviceType: string;
    providerKey: string;
    providerConfigId: string | null;
  },
): Promise<void> {
  await db
    .insert(providerSetAssignments)
    .values(row)
    .onConflictDoUpdate({
      target: [
        providerSetAssignments.tenantId,
        providerSetAssignments.programId,
        providerSetAssignments.serviceType,
        providerSetAssignments.providerKey,
      ],
      set: { providerConfigId: row.providerConfigId, updatedAt: sql`now()` },
    });
}

export async function deleteSetAssignment(
  db: Db,
  key: { tenantId: string; programId: string; serviceType: string; providerKey: string },
): Promise<boolean> {
  const rows = await db
    .delete(providerSetAssignments)
    .where(
      and(
        eq(providerSetAssignments.tenantId, key.tenantId),
        eq(providerSetAssignments.programId, key.programId),
        eq(providerSetAssignments.serviceType, key.serviceType),
        eq(providerSetAssignments.providerKey, key.providerKey),
      ),
    )
    .returning({ id: providerSetAssignments.programId });
  return rows.length > 0;
}

export async function countSetAssignmentsOf(db: Db, tenantId: string, configId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(providerSetAssignments)
    .where(
      and(
        eq(providerSetAssignments.tenantId, tenantId),
        eq(providerSetAssignments.providerConfigId, configId),
      ),
    );
  return r?.n ?? 0;
}
