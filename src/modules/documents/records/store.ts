import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import type { DocumentKind, DocumentStatus, OwnerType } from '../domain/policy.js';
import { type DocumentRow, documents } from '../tables.js';

export async function insertDocument(db: Db, row: typeof documents.$inferInsert): Promise<DocumentRow> {
  const [r] = await db.insert(documents).values(row).returning();
  return r!;
}

export async function findDocument(db: Db, tenantId: string, id: string): Promise<DocumentRow | undefined> {
  const [r] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)));
  return r;
}

export interface DocumentFilter {
  ownerType?: OwnerType;
  ownerId?: string;
  kind?: DocumentKind;
  status?: DocumentStatus;
  limit: number;
  before?: string;
}

export async function listDocuments(db: Db, tenantId: string, f: DocumentFilter): Promise<DocumentRow[]> {
  const where: (SQL | undefined)[] = [
    eq(documents.tenantId, tenantId),
    f.ownerType ? eq(documents.ownerType, f.ownerType) : undefined,
    f.ownerId ? eq(documents.ownerId, f.ownerId) : undefined,
    f.kind ? eq(documents.kind, f.kind) : undefined,
    f.status ? eq(documents.status, f.status) : undefined,
    f.before ? lt(documents.id, f.before) : undefined,
  ];
  return db
    .select()
    .from(documents)
    .where(and(...where))
    .orderBy(desc(documents.id))
    .limit(f.limit);
}

/** Moves a document from `from` to `to` (stored or deleted), only if it is still in `from`. */
export async function moveDocument(
  db: Db,
  tenantId: string,
  id: string,
  from: readonly DocumentStatus[],
  to: 'stored' | 'deleted',
): Promise<DocumentRow | undefined> {
  const [r] = await db
    .update(documents)
    .set(
      to === 'stored'
        ? { status: 'stored', storedAt: sql`now()`, uploadExpiresAt: null }
        : { status: 'deleted', deletedAt: sql`now()`, uploadExpiresAt: null },
    )
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.id, id),
        sql`${documents.status} IN (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      ),
    )
    .returning();
  return r;
}
