import { and, desc, eq, lt } from 'drizzle-orm';
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
