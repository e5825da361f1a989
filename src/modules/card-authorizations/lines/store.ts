import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { expenseTrackers, linesOfCredit } from '../tables.js';

/** A line of credit with its tracker's figures. */
export interface LineRow {
  id: string;
  expenseCategoryId: string;
  ownerType: string;
  ownerRef: string;
  currency: string;
  creditsLimit: Minor;
  expensedCredits: Minor;
  createdAt: Date;
  terminatedAt: Date | null;
}

const columns = {
  id: linesOfCredit.id,
  expenseCategoryId: linesOfCredit.expenseCategoryId,
  ownerType: linesOfCredit.ownerType,
  ownerRef: linesOfCredit.ownerRef,
  currency: linesOfCredit.currency,
  creditsLimit: expenseTrackers.creditsLimit,
  expensedCredits: expenseTrackers.expensedCredits,
  createdAt: linesOfCredit.createdAt,
  terminatedAt: linesOfCredit.terminatedAt,
};

const selectLines = (db: Db) =>
  db
    .select(columns)
    .from(linesOfCredit)
    .innerJoin(
      expenseTrackers,
      and(
        eq(expenseTrackers.tenantId, linesOfCredit.tenantId),
        eq(expenseTrackers.lineOfCreditId, linesOfCredit.id),
      ),
    );

/** A line and its expense tracker, created together. */
export async function insertLine(
  db: Db,
  line: typeof linesOfCredit.$inferInsert,
  credits: { creditsLimit: Minor; expensedCredits: Minor },
): Promise<void> {
  await db.insert(linesOfCredit).values(line);
  await db.insert(expenseTrackers).values({ tenantId: line.tenantId, lineOfCreditId: line.id, ...credits });
}

export async function findLine(db: Db, tenantId: string, id: string): Promise<LineRow | undefined> {
  const [row] = await selectLines(db).where(
    and(eq(linesOfCredit.tenantId, tenantId), eq(linesOfCredit.id, id)),
  );
  return row;
}

/** The owner's open lines for these categories. */
export async function openLineIds(
  db: Db,
  tenantId: string,
  owner: { ownerType: string; ownerRef: string },
  categoryIds: string[],
): Promise<string[]> {
  const found = await db
    .select({ id: linesOfCredit.id })
    .from(linesOfCredit)
    .where(
      and(
        eq(linesOfCredit.tenantId, tenantId),
        eq(linesOfCredit.ownerType, owner.ownerType),
        eq(linesOfCredit.ownerRef, owner.ownerRef),
        inArray(linesOfCredit.expenseCategoryId, categoryIds),
        isNull(linesOfCredit.terminatedAt),
      ),
    );
  return found.map((r) => r.id);
}

export interface LineFilter {
  ownerType?: string;
  ownerRef?: string;
  expenseCategoryId?: string;
  includeTerminated?: boolean;
  limit: number;
  before?: string;
}

/** Keyset pagination on the time-ordered id, newest first. */
export async function listLines(db: Db, tenantId: string, f: LineFilter): Promise<LineRow[]> {
  return selectLines(db)
    .where(
      and(
        eq(linesOfCredit.tenantId, tenantId),
        f.ownerType ? eq(linesOfCredit.ownerType, f.ownerType) : undefined,
        f.ownerRef ? eq(linesOfCredit.ownerRef, f.ownerRef) : undefined,
        f.expenseCategoryId ? eq(linesOfCredit.expenseCategoryId, f.expenseCategoryId) : undefined,
        f.includeTerminated ? undefined : isNull(linesOfCredit.terminatedAt),
        f.before ? lt(linesOfCredit.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(linesOfCredit.id))
    .limit(f.limit);
}

/**
 * Sets the tracker's limit (and expensed credits, when given) of a line that is not terminated, in one statement
 * on the hot row: `terminated` is checked under its lock. Returns the figures before, or undefined.
 */
export async function setTracker(
  db: Db,
  tenantId: string,
  id: string,
  set: { creditsLimit: Minor; expensedCredits?: Minor },
): Promise<{ creditsLimit: Minor; expensedCredits: Minor } | undefined> {
  const [before] = await rows<{ credits_limit: string; expensed_credits: string }>(
    db,
    sql`
    UPDATE card_expense_trackers t SET credits_limit = ${set.creditsLimit},
           expensed_credits = ${set.expensedCredits ?? sql`t.expensed_credits`}
      FROM (SELECT credits_limit, expensed_credits FROM card_expense_trackers
             WHERE tenant_id = ${tenantId} AND line_of_credit_id = ${id} FOR UPDATE) old
     WHERE t.tenant_id = ${tenantId} AND t.line_of_credit_id = ${id} AND NOT t.terminated
    RETURNING old.credits_limit, old.expensed_credits`,
  );
  return (
    before && { creditsLimit: Number(before.credits_limit), expensedCredits: Number(before.expensed_credits) }
  );
}

/** Terminates a line and its tracker unless it already is; false when it was. */
export async function terminateLine(db: Db, tenantId: string, id: string): Promise<boolean> {
  const done = await db
    .update(linesOfCredit)
    .set({ terminatedAt: sql`now()` })
    .where(
      and(eq(linesOfCredit.tenantId, tenantId), eq(linesOfCredit.id, id), isNull(linesOfCredit.terminatedAt)),
    )
    .returning({ id: linesOfCredit.id });
  if (done.length === 0) return false;
  await db
    .update(expenseTrackers)
    .set({ terminated: true })
    .where(and(eq(expenseTrackers.tenantId, tenantId), eq(expenseTrackers.lineOfCreditId, id)));
  return true;
}
