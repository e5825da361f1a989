import type { Minor } from '../../../kernel/money.js';
import type { CardMerchant } from './messages.js';

/**
 * The seed's resolver Protocols. A tenant configures one of each (service types `expense_category_resolver` and
 * `line_of_credit_resolver`). Implementations must be stateless and fail-safe: they run inside the real-time
 * decision, under a time budget; one that throws or overruns declines the payment (`resolver_failed`), it never
 * fails the relay.
 */

/** The seed's PendingTransaction: what is known about a payment awaiting a decision. */
export interface PendingTransaction {
  /** Positive minor units of `currency`. */
  amount: Minor;
  currency: string;
  cardId: string;
  merchantInfo: CardMerchant;
  provider: string;
  externalId: string;
}

export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)` once `value` is ready: at once when it already is, else when its promise fulfils. Resolvers on
 * the decision path use it to stay synchronous on cache hits, where an `async` function would always return a
 * promise, and the engine then races every promise against the resolver's budget with a timer.
 */
export function chain<T, U>(value: MaybePromise<T>, next: (ready: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

export interface ExpenseCategoryResolver {
  /** The codes of the expense categories the payment belongs to, or null when none applies. */
  resolveExpenseCategories(pending: PendingTransaction): MaybePromise<ReadonlySet<string> | null>;
}

export interface CardOwner {
  ownerType: string;
  ownerRef: string;
  status: 'active' | 'frozen' | 'closed';
}

/**
 * Read-only, cached lookups a line resolver may use: the card registry and the owners' open lines. A cached
 * answer is returned as it is, a load as a promise (`await` takes either; `chain` keeps a hit synchronous).
 */
export interface CardDirectoryView {
  cardOwner(cardId: string): MaybePromise<CardOwner | null>;
  /** The owner's open lines of credit, by expense category id. */
  openLines(ownerType: string, ownerRef: string): MaybePromise<ReadonlyMap<string, { readonly id: string }>>;
}

export interface LineOfCreditResolver {
  /**
   * The ids of the lines of credit that pay for the payment, exactly one per expense category, or null when
   * any category has none (the seed's invariant: one-to-one, or nothing).
   */
  resolveLinesOfCredit(
    expenseCategoryIds: ReadonlySet<string>,
    pending: PendingTransaction,
    directory: CardDirectoryView,
  ): MaybePromise<ReadonlySet<string> | null>;
}
