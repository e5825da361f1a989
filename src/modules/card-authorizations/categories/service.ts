import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { ExpenseCategoryRow } from '../tables.js';
import * as store from './store.js';

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

/** The seed's ExpenseCategoryLogic. */
export class ExpenseCategoryService {
  constructor(private readonly deps: CardServiceDeps) {}

  /** Fails with `duplicate_expense_category` when the code is taken (terminated categories keep theirs). */
  async createExpenseCategory(scope: Scope, input: ExpenseCategoryInput): Promise<Result<ExpenseCategory>> {
    try {
      const row = await this.deps.db.transaction(async (tx) => {
        const created = await store.insertCategory(tx, { tenantId: scope.tenantId, id: uuidv7(), ...input });
        await this.deps.audit(tx, scope, {
          action: 'card_expense_category.created',
          entityType: 'card_expense_category',
          entityId: created.id,
          changes: { code: input.code, name: input.name },
        });
        return created;
      });
      await this.deps.changed(scope.tenantId);
      return ok(row);
    } catch (e) {
      if (isUniqueViolation(e, 'card_expense_categories_code')) return err(duplicate(input.code));
      throw e;
    }
  }

  async getExpenseCategory(scope: Scope, id: string): Promise<Result<ExpenseCategory>> {
    const row = isUuid(id) ? await store.findCategory(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('expense category'));
  }

  async getExpenseCategoryIdByCode(scope: Scope, code: string): Promise<Result<string>> {
    const id = await store.findCategoryIdByCode(this.deps.db, scope.tenantId, code);
    return id ? ok(id) : err(notFound('expense category'));
  }

  /** As the seed warns: the result may be smaller than the input, when some codes do not exist. */
  async getExpenseCategoryIdsByCodes(scope: Scope, codes: ReadonlySet<string>): Promise<Set<string>> {
    if (codes.size === 0) return new Set();
    return new Set(await store.findCategoryIdsByCodes(this.deps.db, scope.tenantId, [...codes]));
  }

  async listExpenseCategories(
    scope: Scope,
    opts: { limit: number; before?: string; includeTerminated?: boolean },
  ): Promise<ExpenseCategory[]> {
    return store.listCategories(this.deps.db, scope.tenantId, {
      ...opts,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
  }

  /** Terminal: a terminated category cannot be modified, get new lines, or classify payments. */
  async terminateExpenseCategory(scope: Scope, id: string): Promise<Result<ExpenseCategory>> {
    const current = await this.getExpenseCategory(scope, id);
    if (!current.ok) return current;
    if (current.value.terminatedAt) return err(terminatedCategory(id));
    const row = await this.deps.db.transaction(async (tx) => {
      const updated = await store.terminateCategory(tx, scope.tenantId, id);
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
