import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type AuditRow, auditLog } from '../tables.js';

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
