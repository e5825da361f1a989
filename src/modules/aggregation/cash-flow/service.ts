import type { Scope } from '../../../kernel/audit.js';
import { addDays, addMonths, type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { ok, type Result } from '../../../kernel/result.js';
import type { CustomerService } from '../../tenancy/index.js';
import { type BalanceAnchor, type CashFlowSummary, summarizeCashFlow } from '../domain/cash-flow/index.js';
import type { AccountType } from '../domain/types.js';
import * as store from './store.js';

/**
 * `GET /v1/customers/{id}/cash-flow`: loads a customer's deposit accounts, their settled transactions and their
 * balance snapshots, and hands them to the pure summary (domain/cash-flow). Snapshot instants become calendar
 * dates in the customer's time zone (UTC when unknown): a balance as of an instant is that day's closing one.
 */

export interface CashFlowQuery {
  months: number;
  endDate?: CalendarDate;
  /** Accounts in other currencies are left out; default: the currency most of the accounts hold. */
  currency?: string;
}

export type CustomerCashFlow = CashFlowSummary & { customerId: string; currency: string | null };

export class CashFlowService {
  /**
   * Per tenant, the customers found without a linked deposit account: underwriting asks at every approval, and
   * for them the answer (null) costs no query. Kept true the way provider configs are: an account write tells
   * every process at its commit (ACCOUNT_CHANGES, module.ts), which drops the tenant's entries (`forget`).
   */
  readonly #withoutDeposits = new Map<string, Set<string>>();
  /** Bumped by every `forget`, so an answer read before a change is not kept. */
  #generation = 0;

  constructor(private readonly deps: { db: Db; customers: CustomerService; now: () => Date }) {}

  forget(tenantId: string): void {
    this.#generation++;
    this.#withoutDeposits.delete(tenantId);
  }

  async summary(scope: Scope, customerId: string, q: CashFlowQuery): Promise<Result<CustomerCashFlow>> {
    const customer = await this.deps.customers.get(scope, customerId);
    if (!customer.ok) return customer;
    const c = customer.value;
    const all = await store.depositAccounts(this.deps.db, scope.tenantId, c.id);
    return ok(await this.#summarize(scope, { id: c.id, timeZone: c.timeZone }, all, q));
  }

  /**
   * The summary underwriting reads (compliance's ability-to-repay at approval), for a customer the caller already
   * read: null when the customer has no linked deposit account, so a borrower without one costs one query.
   */
  async forUnderwriting(
    scope: Scope,
    customer: { id: string; timeZone: string | null },
    q: CashFlowQuery,
  ): Promise<CustomerCashFlow | null> {
    const known = this.#withoutDeposits.get(scope.tenantId);
    if (known?.has(customer.id)) return null;
    const generation = this.#generation;
    const all = await store.depositAccounts(this.deps.db, scope.tenantId, customer.id);
    if (all.length > 0) return this.#summarize(scope, customer, all, q);
    if (generation === this.#generation) {
      const tenant = known ?? new Set<string>();
      tenant.add(customer.id);
      this.#withoutDeposits.set(scope.tenantId, tenant);
    }
    return null;
  }

  async #summarize(
    scope: Scope,
    customer: { id: string; timeZone: string | null },
    all: readonly { id: string; currency: string; accountType: string }[],
    q: CashFlowQuery,
  ): Promise<CustomerCashFlow> {
    const zone = customer.timeZone ?? 'UTC';
    const end = q.endDate ?? dateInZone(this.deps.now(), zone);
    // Whole months back from the day after the end: six months to 2024-06-30 start on 2024-01-01.
    const start = addMonths(addDays(end, 1), -q.months);
    const { db } = this.deps;
    const currency = q.currency ?? mostCommon(all.map((a) => a.currency));
    const chosen = all.filter((a) => a.currency === currency);
    const ids = chosen.map((a) => a.id);
    const txns = await store.settledTransactions(db, scope.tenantId, ids, start);
    const snapshots = await store.balanceSnapshotsOf(db, scope.tenantId, ids);
    // One anchor per account and day: the latest snapshot of that day.
    const anchors = new Map<string, BalanceAnchor>();
    for (const s of snapshots) {
      const date = dateInZone(s.asOf, zone);
      anchors.set(`${s.accountId}|${date}`, { accountId: s.accountId, date, balance: s.balance! });
    }
    const summary = summarizeCashFlow({
      period: { start, end },
      accounts: chosen.map((a) => ({ id: a.id, accountType: a.accountType as AccountType })),
      transactions: txns.map((t) => ({ ...t, date: t.date as CalendarDate })),
      anchors: [...anchors.values()],
    });
    return { ...summary, customerId: customer.id, currency: currency ?? null };
  }
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
