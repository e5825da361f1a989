import type { Scope } from '../../../kernel/audit.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { Minor } from '../../../kernel/money.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import { type CardServiceDeps, terminatedCategory } from '../categories/service.js';
import { categoryTermination } from '../categories/store.js';
import { type LoanExists, ownerProblem } from '../domain/owners.js';
import * as store from './store.js';

/**
 * The seed's LineOfCredit: an owner's credit allowance for one expense category, in minor units of its currency.
 * `availableCredits = creditsLimit − expensedCredits`; it is negative only after postings the engine must accept
 * (a clearing above its authorization, a force post, a lowered limit), never because of an authorization.
 */
export interface LineOfCredit extends store.LineRow {
  availableCredits: Minor;
}

export interface LineOfCreditInput {
  ownerType: string;
  ownerRef: string;
  expenseCategoryId: string;
  currency: string;
  creditsLimit?: Minor;
  expensedCredits?: Minor;
}

export type LineFilter = store.LineFilter;

const view = (r: store.LineRow): LineOfCredit => ({
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
  constructor(private readonly deps: CardServiceDeps & { loanExists: LoanExists }) {}

  /**
   * Fails with `duplicate_line_of_credit` while an unterminated line exists for the owner and category, and with
   * `unknown_owner` when the owner is a loan the tenant does not have.
   */
  async createLineOfCredit(scope: Scope, input: LineOfCreditInput): Promise<Result<LineOfCredit>> {
    const limit = input.creditsLimit ?? 0;
    const expensed = input.expensedCredits ?? 0;
    const bad = credits('credits_limit', limit) ?? credits('expensed_credits', expensed);
    if (bad) return err(bad);
    const category = isUuid(input.expenseCategoryId)
      ? await categoryTermination(this.deps.db, scope.tenantId, input.expenseCategoryId)
      : undefined;
    if (!category) return err(invalidField('expense_category_id', 'no such expense category'));
    if (category.terminatedAt) return err(terminatedCategory(input.expenseCategoryId));
    const owner = await ownerProblem(this.deps.loanExists, scope, input);
    if (owner) return err(owner);
    const id = uuidv7();
    try {
      const line = await this.deps.db.transaction(async (tx) => {
        await store.insertLine(
          tx,
          { tenantId: scope.tenantId, id, ...input },
          { creditsLimit: limit, expensedCredits: expensed },
        );
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
    const row = await store.findLine(db, tenantId, id);
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
    return new Set(await store.openLineIds(this.deps.db, scope.tenantId, { ownerType, ownerRef }, ids));
  }

  /** Every line of the owner, terminated ones included, newest first. */
  async getLinesOfCreditForOwner(scope: Scope, ownerType: string, ownerRef: string): Promise<LineOfCredit[]> {
    return this.listLinesOfCredit(scope, { ownerType, ownerRef, includeTerminated: true, limit: 1000 });
  }

  async listLinesOfCredit(scope: Scope, f: LineFilter): Promise<LineOfCredit[]> {
    if ((f.ownerRef && !isUuid(f.ownerRef)) || (f.expenseCategoryId && !isUuid(f.expenseCategoryId)))
      return [];
    const rows = await store.listLines(this.deps.db, scope.tenantId, {
      ...f,
      before: f.before && isUuid(f.before) ? f.before : undefined,
    });
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
      const before = await store.setTracker(tx, scope.tenantId, id, set);
      if (!before) return undefined;
      await this.deps.audit(tx, scope, {
        action: `card_line_of_credit.${action}`,
        entityType: 'card_line_of_credit',
        entityId: id,
        changes: {
          before,
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
      if (!(await store.terminateLine(tx, scope.tenantId, id))) return undefined;
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
