import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../kernel/audit.js';
import { type Db, isUniqueViolation } from '../../kernel/db.js';
import { isUuid, uuidv7 } from '../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../kernel/result.js';
import { type ExpenseCategoryRow, expenseCategories } from './store.js';

/** The seed's ExpenseCategory: a class of payments (groceries, pharmacies, abroad…), unique by code. */
export type ExpenseCategory = ExpenseCategoryRow;

export interface ExpenseCategoryInput {
  code: string;
  name: string;
  description?: string | null;
  reference?: string | null;
}

export interface CardServiceDeps {
  db: Db;
  audit: AuditWriter;
  /** Called after a committed change, so the decision path's caches drop the tenant's entries everywhere. */
  changed: (tenantId: string) => Promise<void>;
}

export const terminatedCategory = (id: string) =>
  failure('conflict', 'expense_category_terminated', `expense category ${id} is terminated`);

const duplicate = (code: string) =>
  failure(
    'conflict',
    'duplicate_expense_category',
    `an expense category with code "${code}" already exists`,
    {
      fields: [{ path: 'code', message: 'already used by another expense category' }],
    },
  );

const byId = (tenantId: string, id: string) =>
  and(eq(expenseCategories.tenantId, tenantId), eq(expenseCategories.id, id));

/** The seed's ExpenseCategoryLogic. */
export class ExpenseCategoryService {
  constructor(private readonly deps: CardServiceDeps) {}

  /** Fails with `duplicate_expense_category` when the code is taken (terminated categories keep theirs). */
  async createExpenseCategory(scope: Scope, input: ExpenseCategoryInput): Promise<Result<ExpenseCategory>> {
    try {
      const row = await this.deps.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(expenseCategories)
          .values({ tenantId: scope.tenantId, id: uuidv7(), ...input })
          .returning();
        await this.deps.audit(tx, scope, {
          action: 'card_expense_category.created',
          entityType: 'card_expense_category',
          entityId: created!.id,
          changes: { code: input.code, name: input.name },
        });
        return created!;
      });
      await this.deps.changed(scope.tenantId);
      return ok(row);
    } catch (e) {
      if (isUniqueViolation(e, 'card_expense_categories_code')) return err(duplicate(input.code));
      throw e;
    }
  }

  async getExpenseCategory(scope: Scope, id: string): Promise<Result<ExpenseCategory>> {
    if (!isUuid(id)) return err(notFound('expense category'));
    const [row] = await this.deps.db.select().from(expenseCategories).where(byId(scope.tenantId, id));
    return row ? ok(row) : err(notFound('expense category'));
  }

  async getExpenseCategoryIdByCode(scope: Scope, code: string): Promise<Result<string>> {
    const [row] = await this.deps.db
      .select({ id: expenseCategories.id })
      .from(expenseCategories)
      .where(and(eq(expenseCategories.tenantId, scope.tenantId), eq(expenseCategories.code, code)));
    return row ? ok(row.id) : err(notFound('expense category'));
  }

  /** As the seed warns: the result may be smaller than the input, when some codes do not exist. */
  async getExpenseCategoryIdsByCodes(scope: Scope, codes: ReadonlySet<string>): Promise<Set<string>> {
    if (codes.size === 0) return new Set();
    const rows = await this.deps.db
      .select({ id: expenseCategories.id })
      .from(expenseCategories)
      .where(
        and(eq(expenseCategories.tenantId, scope.tenantId), inArray(expenseCategories.code, [...codes])),
      );
    return new Set(rows.map((r) => r.id));
  }

  async listExpenseCategories(
    scope: Scope,
    opts: { limit: number; before?: string; includeTerminated?: boolean },
  ): Promise<ExpenseCategory[]> {
    return this.deps.db
      .select()
      .from(expenseCategories)
      .where(
        and(
          eq(expenseCategories.tenantId, scope.tenantId),
          opts.before && isUuid(opts.before) ? lt(expenseCategories.id, opts.before) : undefined,
          opts.includeTerminated ? undefined : isNull(expenseCategories.terminatedAt),
        ),
      )
      .orderBy(desc(expenseCategories.id))
      .limit(opts.limit);
  }

  /** Terminal: a terminated category cannot be modified, get new lines, or classify payments. */
  async terminateExpenseCategory(scope: Scope, id: string): Promise<Result<ExpenseCategory>> {
    const current = await this.getExpenseCategory(scope, id);
    if (!current.ok) return current;
    if (current.value.terminatedAt) return err(terminatedCategory(id));
    const row = await this.deps.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(expenseCategories)
        .set({ terminatedAt: sql`now()` })
        .where(and(byId(scope.tenantId, id), isNull(expenseCategories.terminatedAt)))
        .returning();
      if (updated)
        await this.deps.audit(tx, scope, {
          action: 'card_expense_category.terminated',
          entityType: 'card_expense_category',
          entityId: id,
          changes: {},
        });
      return updated;
    });
    if (!row) return err(terminatedCategory(id));
    await this.deps.changed(scope.tenantId);
    return ok(row);
  }
}
