import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../kernel/db.js';
import { type ProgramRow, programs } from './tables.js';

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

/** The program's row, locked until the transaction ends (a change checks its version under the lock). */
export async function lockProgram(db: Db, tenantId: string, id: string): Promise<ProgramRow | undefined> {
  const [r] = await db
    .select()
    .from(programs)
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, id)))
    .for('update');
  return r;
}

export async function updateProgram(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<Pick<ProgramRow, 'name' | 'description' | 'status' | 'terms'>>,
): Promise<ProgramRow> {
  const [r] = await db
    .update(programs)
    .set({ ...changes, version: sql`${programs.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, id)))
    .returning();
  return r!;
}
