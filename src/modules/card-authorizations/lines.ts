import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Scope } from '../../kernel/audit.js';
import { type Db, isUniqueViolation, rows } from '../../kernel/db.js';
import { isUuid, uuidv7 } from '../../kernel/ids.js';
import type { Minor } from '../../kernel/money.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../kernel/result.js';
import { type CardServiceDeps, terminatedCategory } from './categories.js';
import { expenseCategories, expenseTrackers, linesOfCredit } from './store.js';

/**
 * The seed's LineOfCredit: an owner's credit allowance for one expense category, in minor units of its currency.
 * `availableCredits = creditsLimit − expensedCredits`; it is negative only after postings the engine must accept
 * (a clearing above its authorization, a force post, a lowered limit), never because of an authorization.
 */
export interface LineOfCredit {
  id: string;
  expenseCategoryId: string;
  ownerType: string;
  ownerRef: string;
  currency: string;
  creditsLimit: Minor;
  expensedCredits: Minor;
  availableCredits: Minor;
  createdAt: Date;
  terminatedAt: Date | null;
}

export interface LineOfCreditInput {
  ownerType: string;
  ownerRef: string;
  expenseCategoryId: string;
  currency: string;
  creditsLimit?: Minor;
  expensedCredits?: Minor;
}

export interface LineFilter {
  ownerType?: string;
  ownerRef?: string;
  expenseCategoryId?: string;
  includeTerminated?: boolean;
  limit: number;
  before?: string;
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
const view = (r: Omit<LineOfCredit, 'availableCredits'>): LineOfCredit => ({
  ...r,
  availableCredits: r.creditsLimit - r.expensedCredits,
});

const terminatedLine = (id: string) =>
  failure('conflict', 'line_of_credit_terminated', `line of credit ${id} is terminated`);
const duplicate = () =>
  failure(
    'conflict',
    'duplicate_line_of_credit',
    'the owner already has an open line of credit for this expense category',
    { fields: [{ path: 'expense_category_id', message: 'already has an open line for this owner' }] },
  );
const credits = (path: string, value: Minor) =>
  Number.isSafeInteger(value) && value >= 0
    ? undefined
    : invalidField(path, 'must be a non-negative integer');

/** The seed's LineOfCreditLogic. Every line has its expense tracker, created with it. */
export class LineOfCreditService {
  constructor(private readonly deps: CardServiceDeps) {}

  #select(db: Db = this.deps.db) {
    return db
      .select(columns)
      .from(linesOfCredit)
      .innerJoin(
        expenseTrackers,
        and(
          eq(expenseTrackers.tenantId, linesOfCredit.tenantId),
          eq(expenseTrackers.lineOfCreditId, linesOfCredit.id),
        ),
      );
  }

  /** Fails with `duplicate_line_of_credit` while an unterminated line exists for the owner and category. */
  async createLineOfCredit(scope: Scope, input: LineOfCreditInput): Promise<Result<LineOfCredit>> {
    const limit = input.creditsLimit ?? 0;
    const expensed = input.expensedCredits ?? 0;
    const bad = credits('credits_limit', limit) ?? credits('expensed_credits', expensed);
    if (bad) return err(bad);
    const [category] = isUuid(input.expenseCategoryId)
      ? await this.deps.db
          .select({ terminatedAt: expenseCategories.terminatedAt })
          .from(expenseCategories)
          .where(
            and(
              eq(expenseCategories.tenantId, scope.tenantId),
              eq(expenseCategories.id, input.expenseCategoryId),
            ),
          )
      : [];
    if (!category) return err(invalidField('expense_category_id', 'no such expense category'));
    if (category.terminatedAt) return err(terminatedCategory(input.expenseCategoryId));
    const id = uuidv7();
    try {
      const line = await this.deps.db.transaction(async (tx) => {
        await tx.insert(linesOfCredit).values({ tenantId: scope.tenantId, id, ...input });
        await tx.insert(expenseTrackers).values({
          tenantId: scope.tenantId,
          lineOfCreditId: id,
          creditsLimit: limit,
          expensedCredits: expensed,
        });
        await this.deps.audit(tx, scope, {
          action: 'card_line_of_credit.created',
          entityType: 'card_line_of_credit',
          entityId: id,
          changes: { ...input, creditsLimit: limit, expensedCredits: expensed },
        });
        return this.#one(tx, scope.tenantId, id);
      });
      await this.deps.changed(scope.tenantId);
      return ok(line!);
    } catch (e) {
      if (isUniqueViolation(e, 'card_lines_of_credit_one_open')) return err(duplicate());
      throw e;
    }
  }

  async #one(db: Db, tenantId: string, id: string): Promise<LineOfCredit | undefined> {
    const [row] = await this.#select(db).where(
      and(eq(linesOfCredit.tenantId, tenantId), eq(linesOfCredit.id, id)),
    );
    return row && view(row);
  }

  async getLineOfCredit(scope: Scope, id: string): Promise<Result<LineOfCredit>> {
    const line = isUuid(id) ? await this.#one(this.deps.db, scope.tenantId, id) : undefined;
    return line ? ok(line) : err(notFound('line of credit'));
  }

  /** The owner's open line for the category, or null. */
  async getLineOfCreditIdForOwnerAndExpenseCategoryId(
    scope: Scope,
    ownerType: string,
    ownerRef: string,
    expenseCategoryId: string,
  ): Promise<string | null> {
    const ids = await this.getLineOfCreditIdsForOwnerAndExpenseCategoryIds(
      scope,
      ownerType,
      ownerRef,
      new Set([expenseCategoryId]),
    );
    return ids.values().next().value ?? null;
  }

  /** The owner's open lines for these categories. As the seed warns, the result may be smaller than the input. */
  async getLineOfCreditIdsForOwnerAndExpenseCategoryIds(
    scope: Scope,
    ownerType: string,
    ownerRef: string,
    expenseCategoryIds: ReadonlySet<string>,
  ): Promise<Set<string>> {
    const ids = [...expenseCategoryIds].filter(isUuid);
    if (!isUuid(ownerRef) || ids.length === 0) return new Set();
    const rows = await this.deps.db
      .select({ id: linesOfCredit.id })
      .from(linesOfCredit)
      .where(
        and(
          eq(linesOfCredit.tenantId, scope.tenantId),
          eq(linesOfCredit.ownerType, ownerType),
          eq(linesOfCredit.ownerRef, ownerRef),
          inArray(linesOfCredit.expenseCategoryId, ids),
          isNull(linesOfCredit.terminatedAt),
        ),
      );
    return new Set(rows.map((r) => r.id));
  }

  /** Every line of the owner, terminated ones included, newest first. */
  async getLinesOfCreditForOwner(scope: Scope, ownerType: string, ownerRef: string): Promise<LineOfCredit[]> {
    return this.listLinesOfCredit(scope, { ownerType, ownerRef, includeTerminated: true, limit: 1000 });
  }

  async listLinesOfCredit(scope: Scope, f: LineFilter): Promise<LineOfCredit[]> {
    if ((f.ownerRef && !isUuid(f.ownerRef)) || (f.expenseCategoryId && !isUuid(f.expenseCategoryId)))
      return [];
    const rows = await this.#select()
      .where(
        and(
          eq(linesOfCredit.tenantId, scope.tenantId),
          f.ownerType ? eq(linesOfCredit.ownerType, f.ownerType) : undefined,
          f.ownerRef ? eq(linesOfCredit.ownerRef, f.ownerRef) : undefined,
          f.expenseCategoryId ? eq(linesOfCredit.expenseCategoryId, f.expenseCategoryId) : undefined,
          f.includeTerminated ? undefined : isNull(linesOfCredit.terminatedAt),
          f.before && isUuid(f.before) ? lt(linesOfCredit.id, f.before) : undefined,
        ),
      )
      .orderBy(desc(linesOfCredit.id))
      .limit(f.limit);
    return rows.map(view);
  }

  /** Starts a new period: both figures are set as given (holds still open keep their claim on the line). */
  async resetCredits(
    scope: Scope,
    id: string,
    creditsLimit: Minor,
    expensedCredits: Minor,
  ): Promise<Result<LineOfCredit>> {
    const bad = credits('credits_limit', creditsLimit) ?? credits('expensed_credits', expensedCredits);
    if (bad) return err(bad);
    return this.#changeTracker(scope, id, 'credits_reset', { creditsLimit, expensedCredits });
  }

  /** A lower limit than what is expensed is allowed: the line then approves nothing until credits come back. */
  async setCreditsLimit(scope: Scope, id: string, creditsLimit: Minor): Promise<Result<LineOfCredit>> {
    const bad = credits('credits_limit', creditsLimit);
    if (bad) return err(bad);
    return this.#changeTracker(scope, id, 'credits_limit_set', { creditsLimit });
  }

  async #changeTracker(
    scope: Scope,
    id: string,
    action: string,
    set: { creditsLimit: Minor; expensedCredits?: Minor },
  ): Promise<Result<LineOfCredit>> {
    const current = await this.getLineOfCredit(scope, id);
    if (!current.ok) return current;
    if (current.value.terminatedAt) return err(terminatedLine(id));
    const line = await this.deps.db.transaction(async (tx) => {
      // One statement on the hot row; `terminated` is checked under its lock.
      const [before] = await rows<{ credits_limit: string; expensed_credits: string }>(
        tx,
        sql`
        UPDATE card_expense_trackers t SET credits_limit = ${set.creditsLimit},
               expensed_credits = ${set.expensedCredits ?? sql`t.expensed_credits`}
          FROM (SELECT credits_limit, expensed_credits FROM card_expense_trackers
                 WHERE tenant_id = ${scope.tenantId} AND line_of_credit_id = ${id} FOR UPDATE) old
         WHERE t.tenant_id = ${scope.tenantId} AND t.line_of_credit_id = ${id} AND NOT t.terminated
        RETURNING old.credits_limit, old.expensed_credits`,
      );
      if (!before) return undefined;
      await this.deps.audit(tx, scope, {
        action: `card_line_of_credit.${action}`,
        entityType: 'card_line_of_credit',
        entityId: id,
        changes: {
          before: {
            creditsLimit: Number(before.credits_limit),
            expensedCredits: Number(before.expensed_credits),
          },
          after: set,
        },
      });
      return this.#one(tx, scope.tenantId, id);
    });
    return line ? ok(line) : err(terminatedLine(id));
  }

  /** Terminal: the line takes no new reservation; postings on holds it already carries still apply. */
  async terminateLineOfCredit(scope: Scope, id: string): Promise<Result<LineOfCredit>> {
    const current = await this.getLineOfCredit(scope, id);
    if (!current.ok) return current;
    if (current.value.terminatedAt) return err(terminatedLine(id));
    const line = await this.deps.db.transaction(async (tx) => {
      const done = await tx
        .update(linesOfCredit)
        .set({ terminatedAt: sql`now()` })
        .where(
          and(
            eq(linesOfCredit.tenantId, scope.tenantId),
            eq(linesOfCredit.id, id),
            isNull(linesOfCredit.terminatedAt),
          ),
        )
        .returning({ id: linesOfCredit.id });
      if (done.length === 0) return undefined;
      await tx
        .update(expenseTrackers)
        .set({ terminated: true })
        .where(and(eq(expenseTrackers.tenantId, scope.tenantId), eq(expenseTrackers.lineOfCreditId, id)));
      await this.deps.audit(tx, scope, {
        action: 'card_line_of_credit.terminated',
        entityType: 'card_line_of_credit',
        entityId: id,
        changes: {},
      });
      return this.#one(tx, scope.tenantId, id);
    });
    if (!line) return err(terminatedLine(id));
    await this.deps.changed(scope.tenantId);
    return ok(line);
  }
}
