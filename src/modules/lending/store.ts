import { and, desc, eq, lt } from 'drizzle-orm';
import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db } from '../../kernel/db.js';

export const programs = pgTable(
  'programs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    programType: text('program_type').notNull(),
    currency: text('currency').notNull(),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ProgramRow = typeof programs.$inferSelect;

export async function insertProgram(db: Db, row: typeof programs.$inferInsert): Promise<ProgramRow> {
  const [r] = await db.insert(programs).values(row).returning();
  return r!;
}

export async function findProgram(db: Db, tenantId: string, id: string): Promise<ProgramRow | undefined> {
  const [r] = await db
    .select()
    .from(programs)
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, id)));
  return r;
}

export async function listPrograms(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string },
): Promise<ProgramRow[]> {
  return db
    .select()
    .from(programs)
    .where(and(eq(programs.tenantId, tenantId), opts.before ? lt(programs.id, opts.before) : undefined))
    .orderBy(desc(programs.id))
    .limit(opts.limit);
}
