import { and, asc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Scope } from '../../kernel/audit.js';
import { addDays, addMonths, type CalendarDate, dateInZone } from '../../kernel/dates.js';
import type { Db } from '../../kernel/db.js';
import { ok, type Result } from '../../kernel/result.js';
import type { CustomerService } from '../tenancy/index.js';
import {
  type BalanceAnchor,
  CASH_FLOW_ACCOUNT_TYPES,
  type CashFlowSummary,
  summarizeCashFlow,
} from './domain/cash-flow/index.js';
import type { AccountType } from './domain/types.js';
import { accounts, balanceSnapshots, transactions } from './store.js';

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
  constructor(private readonly deps: { db: Db; customers: CustomerService; now: () => Date }) {}

  async summary(scope: Scope, customerId: string, q: CashFlowQuery): Promise<Result<CustomerCashFlow>> {
    const customer = await this.deps.customers.get(scope, customerId);
    if (!customer.ok) return customer;
    const zone = customer.value.timeZone ?? 'UTC';
    const end = q.endDate ?? dateInZone(this.deps.now(), zone);
    // Whole months back from the day after the end: six months to 2024-06-30 start on 2024-01-01.
    const start = addMonths(addDays(end, 1), -q.months);
    const { db } = this.deps;
    const all = await db
      .select({ id: accounts.id, accountType: accounts.accountType, currency: accounts.currency })
      .from(accounts)
      .where(
        and(
          eq(accounts.tenantId, scope.tenantId),
          eq(accounts.customerId, customer.value.id),
          inArray(accounts.accountType, [...CASH_FLOW_ACCOUNT_TYPES]),
        ),
      )
      .orderBy(asc(accounts.id));
    const currency = q.currency ?? mostCommon(all.map((a) => a.currency));
    const chosen = all.filter((a) => a.currency === currency);
    const ids = chosen.map((a) => a.id);
    const txns = ids.length
      ? await db
          .select({
            id: transactions.id,
            accountId: transactions.accountId,
            amount: transactions.amount,
            date: transactions.transactionDate,
            description: transactions.description,
            transactionType: transactions.transactionType,
            subtype: transactions.subtype,
          })
          .from(transactions)
          .where(
            and(
              eq(transactions.tenantId, scope.tenantId),
              inArray(transactions.accountId, ids),
              eq(transactions.status, 'settled'),
              gte(transactions.transactionDate, start),
            ),
          )
      : [];
    const snapshots = ids.length
      ? await db
          .select({
            accountId: balanceSnapshots.accountId,
            balance: balanceSnapshots.balance,
            asOf: balanceSnapshots.asOf,
          })
          .from(balanceSnapshots)
          .where(
            and(
              eq(balanceSnapshots.tenantId, scope.tenantId),
              inArray(balanceSnapshots.accountId, ids),
              isNotNull(balanceSnapshots.balance),
            ),
          )
          .orderBy(asc(balanceSnapshots.asOf))
      : [];
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
    return ok({ ...summary, customerId: customer.value.id, currency: currency ?? null });
  }
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
