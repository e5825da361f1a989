import { and, asc, desc, eq, gte, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type ComplianceCheckRow, complianceChecks } from '../tables.js';

export type NewCheck = typeof complianceChecks.$inferInsert;

export async function insertChecks(db: Db, rows: readonly NewCheck[]): Promise<void> {
  if (rows.length > 0) await db.insert(complianceChecks).values([...rows]);
}

export interface CheckFilter {
  outcome?: 'pass' | 'warn' | 'block';
  /** Only warns and blocks. */
  exceptions?: boolean;
  hook?: string;
  rule?: string;
  subjectType?: string;
  subjectId?: string;
  /** [from, to) instants. */
  from?: Date;
  to?: Date;
}

function where(tenantId: string, f: CheckFilter): SQL | undefined {
  return and(
    eq(complianceChecks.tenantId, tenantId),
    f.outcome ? eq(complianceChecks.outcome, f.outcome) : undefined,
    f.exceptions ? ne(complianceChecks.outcome, 'pass') : undefined,
    f.hook ? eq(complianceChecks.hook, f.hook as ComplianceCheckRow['hook']) : undefined,
    f.rule ? eq(complianceChecks.rule, f.rule) : undefined,
    f.subjectType ? eq(complianceChecks.subjectType, f.subjectType) : undefined,
    f.subjectId ? eq(complianceChecks.subjectId, f.subjectId) : undefined,
    f.from ? gte(complianceChecks.at, f.from) : undefined,
    f.to ? lt(complianceChecks.at, f.to) : undefined,
  );
}

/** Newest first, keyset-paged on the time-ordered id. */
export async function listChecks(
  db: Db,
  tenantId: string,
  f: CheckFilter & { limit: number; before?: string },
): Promise<ComplianceCheckRow[]> {
  return db
    .select()
    .from(complianceChecks)
    .where(and(where(tenantId, f), f.before ? lt(complianceChecks.id, f.before) : undefined))
    .orderBy(desc(complianceChecks.id))
    .limit(f.limit);
}

/** Oldest first, `size` rows after `after` (an id): the pages the exceptions report streams. */
export async function checksPage(
  db: Db,
  tenantId: string,
  f: CheckFilter,
  after: string | null,
  size: number,
): Promise<ComplianceCheckRow[]> {
  return db
    .select()
    .from(complianceChecks)
    .where(and(where(tenantId, f), after ? sql`${complianceChecks.id} > ${after}` : undefined))
    .orderBy(asc(complianceChecks.id))
    .limit(size);
}
