import type { Logger } from '../../../kernel/logging.js';
import { raceTimer } from '../../../kernel/race.js';
import type { InstanceOf, ProviderResolver, Resolution } from '../../../providers/index.js';
import type { CardMessage, DecisionReason } from '../domain/messages.js';
import type { CardOwner, MaybePromise, PendingTransaction } from '../domain/resolvers.js';
import type { CardDirectory } from './directory.js';

/** What resolution found for a payment. A decline reason leaves the corresponding part empty. */
export interface Resolved {
  card: CardOwner | null;
  /** `unknown_card`, or `card_inactive` when an active card was required. */
  cardDecline: DecisionReason | null;
  /** Why no lines could be resolved (no category, no line, a resolver failure…). */
  linesDecline: DecisionReason | null;
  categoryIds: string[];
  categoryCodes: string[];
  lines: string[];
  detail: string | null;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; detail: string };

const failed = (e: unknown): Outcome<never> => ({
  ok: false,
  detail: `resolver failed: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * Runs a resolver call within a time budget; a throw, a rejection or an overrun is a failed outcome. A
 * synchronous answer is returned as it is: no timer, no promise.
 */
export function withinBudget<T>(run: () => MaybePromise<T>, budgetMs: number): MaybePromise<Outcome<T>> {
  let value: MaybePromise<T>;
  try {
    value = run();
  } catch (e) {
    return failed(e);
  }
  if (!(value instanceof Promise)) return { ok: true, value };
  return raceTimer(value, budgetMs).then((r): Outcome<T> => {
    if (r.state === 'settled') return { ok: true, value: r.value };
    if (r.state === 'failed') return failed(r.error);
    return { ok: false, detail: `resolver took longer than ${budgetMs} ms` };
  });
}

/** `out` with the reason no lines could be resolved. (Not a closure in `resolve`: one per payment costs.) */
function declined(out: Resolved, reason: DecisionReason, detail: string): Resolved {
  out.linesDecline = reason;
  out.detail = detail;
  return out;
}

/**
 * Resolves a payment to its card owner, expense categories and lines of credit, from the in-process caches and
 * the tenant's configured resolvers (the seed's two-step resolution). Never throws: every failure is a reason.
 *
 * The caches, the built-in resolvers and `withinBudget` answer a hit as a plain value, and `resolve` awaits only
 * what is a promise (`v instanceof Promise ? await v : v`): on a hit, every step runs at once instead of one
 * microtask each.
 */
export class PaymentResolution {
  constructor(
    private readonly deps: {
      resolver: ProviderResolver;
      directory: CardDirectory;
      logger: Logger;
      /** Each resolver call's budget. */
      budgetMs: number;
    },
  ) {}

  async resolve(tenantId: string, message: CardMessage, requireActiveCard: boolean): Promise<Resolved> {
    const out: Resolved = {
      card: null,
      cardDecline: null,
      linesDecline: null,
      categoryIds: [],
      categoryCodes: [],
      lines: [],
      detail: null,
    };
    try {
      const card = this.deps.directory.card(tenantId, message.cardId);
      out.card = card instanceof Promise ? await card : card;
    } catch (e) {
      return declined(out, 'resolver_failed', `card lookup failed: ${String(e)}`);
    }
    if (!out.card) {
      out.cardDecline = 'unknown_card';
      out.detail = 'the card is not registered';
      return out;
    }
    if (requireActiveCard && out.card.status !== 'active') {
      out.cardDecline = 'card_inactive';
      out.detail = `the card is ${out.card.status}`;
    }

    const pending: PendingTransaction = {
      amount: message.amount,
      currency: message.currency,
      cardId: message.cardId,
      merchantInfo: message.merchant,
      provider: message.provider,
      externalId: message.externalId,
    };
    const pickedCategories = this.#instance(tenantId, 'expense_category_resolver');
    const categoryResolver = pickedCategories instanceof Promise ? await pickedCategories : pickedCategories;
    if (!categoryResolver.ok) return declined(out, categoryResolver.reason, categoryResolver.detail);
    const answered = withinBudget(
      () => categoryResolver.value.resolveExpenseCategories(pending),
      this.deps.budgetMs,
    );
    const codes = answered instanceof Promise ? await answered : answered;
    if (!codes.ok) return declined(out, 'resolver_failed', codes.detail);
    if (!codes.value || codes.value.size === 0)
      return declined(out, 'no_category', 'no expense category applies');

    const loaded = this.deps.directory.categories(tenantId);
    const categories = loaded instanceof Promise ? await loaded : loaded;
    for (const code of codes.value) {
      const category = categories.get(code);
      if (!category) return declined(out, 'no_category', `expense category ${code} does not exist`);
      if (category.terminated)
        return declined(out, 'category_terminated', `expense category ${code} is terminated`);
      out.categoryIds.push(category.id);
      out.categoryCodes.push(code);
    }

    const pickedLines = this.#instance(tenantId, 'line_of_credit_resolver');
    const lineResolver = pickedLines instanceof Promise ? await pickedLines : pickedLines;
    if (!lineResolver.ok) return declined(out, lineResolver.reason, lineResolver.detail);
    const categoryIds = new Set(out.categoryIds);
    const view = this.deps.directory.view(tenantId);
    const resolvedLines = withinBudget(
      () => lineResolver.value.resolveLinesOfCredit(categoryIds, pending, view),
      this.deps.budgetMs,
    );
    const lineIds = resolvedLines instanceof Promise ? await resolvedLines : resolvedLines;
    if (!lineIds.ok) return declined(out, 'resolver_failed', lineIds.detail);
    if (!lineIds.value || lineIds.value.size === 0)
      return declined(out, 'no_line_of_credit', 'no line of credit');

    // The seed's invariant, enforced whatever the resolver: exactly one open line per category.
    const covered = new Set<string>();
    for (const id of lineIds.value) {
      const cached = this.deps.directory.line(tenantId, id);
      const line = cached instanceof Promise ? await cached : cached;
      if (!line) return declined(out, 'no_line_of_credit', `line of credit ${id} is not open`);
      if (!categoryIds.has(line.categoryId) || covered.has(line.categoryId))
        return declined(
          out,
          'no_line_of_credit',
          'the resolved lines do not match the categories one to one',
        );
      if (line.currency !== message.currency)
        return declined(out, 'currency_mismatch', `line of credit ${id} is in ${line.currency}`);
      covered.add(line.categoryId);
      out.lines.push(id);
    }
    if (covered.size !== categoryIds.size)
      return declined(out, 'no_line_of_credit', 'a category has no line of credit');
    return out;
  }

  /** The tenant's resolver of `serviceType`: at once from the provider cache, else loaded. */
  #instance<S extends ResolverType>(tenantId: string, serviceType: S): MaybePromise<Picked<InstanceOf<S>>> {
    const hit = this.deps.resolver.cached(tenantId, serviceType);
    return hit ? picked(hit, serviceType) : this.#load(tenantId, serviceType);
  }

  async #load<S extends ResolverType>(tenantId: string, serviceType: S): Promise<Picked<InstanceOf<S>>> {
    try {
      return picked(await this.deps.resolver.resolve(tenantId, serviceType), serviceType);
    } catch (e) {
      this.deps.logger.error({ err: e, tenantId, serviceType }, 'resolver unavailable');
      return { ok: false, reason: 'resolver_failed', detail: `${serviceType} unavailable` };
    }
  }
}

type Picked<I> = { ok: true; value: I } | { ok: false; reason: DecisionReason; detail: string };

type ResolverType = 'expense_category_resolver' | 'line_of_credit_resolver';

function picked<S extends ResolverType>(r: Resolution<S>, serviceType: S): Picked<InstanceOf<S>> {
  return r.source === 'none'
    ? { ok: false, reason: 'resolver_not_configured', detail: `no ${serviceType} is configured` }
    : { ok: true, value: r.instance };
}
