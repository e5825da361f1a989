import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import { ledgerBalances, nonZero } from '../journal/posting.js';
import type { InstallmentRow, LoanServicing, StoredEvent } from '../product.js';

/**
 * Reconciliation: compares what the store holds for a tenant's loans (all serviced ones, or the given ids) with
 * what replaying each loan's events gives: the projection columns, every installment row, and the journal balances
 * per account. Returns the differences, one line each; none when the store is sound. Tests and benchmarks use it
 * to prove close of business and writes exact; operators can run it on a suspicious loan.
 */
interface StoredLoan {
  id: string;
  product: string;
  terms: unknown;
  status: string;
  cob_active: boolean;
  days_past_due: number;
  delinquency_bucket: string;
  credit_balance: number;
  next_due_date: string | null;
  oldest_unpaid_due: string | null;
  next_late_fee_on: string | null;
  accrual_cursor: number | null;
}

export type AsOf = { asOf: CalendarDate; closeOfBusiness: boolean };

/** `at` says, per loan, which replay the store should equal. */
export async function reconcile(
  db: Db,
  servicingOf: (product: string) => LoanServicing | null,
  tenantId: string,
  at: AsOf | ((loanId: string) => AsOf),
  loanIds?: readonly string[],
): Promise<string[]> {
  const only = loanIds ? sql` AND loan_id = ANY(${sql.param(loanIds)}::uuid[])` : sql``;
  const loans = await rows<StoredLoan>(
    db,
    sql`SELECT id, product, terms, status, cob_active, days_past_due, delinquency_bucket, credit_balance::float8 AS credit_balance,
               next_due_date::text, oldest_unpaid_due::text, next_late_fee_on::text, accrual_cursor
          FROM loans WHERE tenant_id = ${tenantId} AND status NOT IN ('application', 'approved', 'rejected', 'withdrawn')
           ${loanIds ? sql` AND id = ANY(${sql.param(loanIds)}::uuid[])` : sql``}
         ORDER BY id`,
  );
  const events = await rows<StoredEvent & { loan_id: string }>(
    db,
    sql`SELECT loan_id, id, sequence, type, effective_date::text AS "effectiveDate", payload
          FROM loan_events WHERE tenant_id = ${tenantId}${only} ORDER BY loan_id, sequence`,
  );
  const installments = await rows<Record<string, unknown>>(
    db,
    sql`SELECT loan_id, number, period_start::text, due_date::text, opening_balance::float8, interest_accrual::float8,
               principal_due::float8, interest_due::float8, fees_due::float8, penalties_due::float8,
               principal_paid::float8, interest_paid::float8, fees_paid::float8, penalties_paid::float8,
               principal_waived::float8, interest_waived::float8, fees_waived::float8, penalties_waived::float8,
               accrued::float8, late_fee_assessed
          FROM loan_installments WHERE tenant_id = ${tenantId}${only} ORDER BY loan_id, number`,
  );
  const balances = await rows<{ loan_id: string; account: string; amount: number }>(
    db,
    sql`SELECT j.loan_id, s.account, sum(s.amount)::float8 AS amount
          FROM loan_journal j
          CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount), (j.credit_account, -j.amount)) AS s (account, amount)
         WHERE j.tenant_id = ${tenantId}${loanIds ? sql` AND j.loan_id = ANY(${sql.param(loanIds)}::uuid[])` : sql``}
         GROUP BY j.loan_id, s.account`,
  );
  const group = <T extends { loan_id: string }>(list: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(x.loan_id, [...(m.get(x.loan_id) ?? []), x]);
    return m;
  };
  const eventsOf = group(events);
  const rowsOf = group(installments as (Record<string, unknown> & { loan_id: string })[]);
  const balancesOf = group(balances);
  const problems: string[] = [];
  for (const loan of loans) {
    const servicing = servicingOf(loan.product);
    if (!servicing) continue;
    const own = eventsOf.get(loan.id) ?? [];
    const { asOf, closeOfBusiness } = typeof at === 'function' ? at(loan.id) : at;
    const replayed = servicing.replay(loan.terms, own, asOf, { closeOfBusiness });
    if (!replayed.ok) {
      problems.push(`${loan.id}: replay failed: ${replayed.error.message}`);
      continue;
    }
    const p = replayed.value;
    const expected = {
      status: p.status,
      cob_active: p.cobActive,
      days_past_due: p.daysPastDue,
      delinquency_bucket: p.delinquencyBucket,
      credit_balance: p.creditBalance,
      next_due_date: p.nextDueDate,
      oldest_unpaid_due: p.oldestUnpaidDue,
      next_late_fee_on: p.nextLateFeeOn,
      accrual_cursor: p.accrualCursor,
    };
    for (const [k, v] of Object.entries(expected)) {
      const got = loan[k as keyof StoredLoan];
      if (got !== v) problems.push(`${loan.id} ${asOf}: ${k} stored ${String(got)}, replay ${String(v)}`);
    }
    const stored = (rowsOf.get(loan.id) ?? []).map(toRow);
    if (JSON.stringify(stored) !== JSON.stringify(p.installments.map(normal)))
      problems.push(
        `${loan.id} ${asOf}: installments differ\n stored ${JSON.stringify(stored)}\n replay ${JSON.stringify(p.installments.map(normal))}`,
      );
    const journal = nonZero(
      Object.fromEntries((balancesOf.get(loan.id) ?? []).map((b) => [b.account, b.amount])),
    );
    const want = nonZero(ledgerBalances(p.journal));
    if (JSON.stringify(sorted(journal)) !== JSON.stringify(sorted(want)))
      problems.push(
        `${loan.id} ${asOf}: journal ${JSON.stringify(sorted(journal))} replay ${JSON.stringify(sorted(want))}`,
      );
  }
  return problems;
}

const sorted = (b: Record<string, number>) =>
  Object.fromEntries(Object.entries(b).sort(([a], [c]) => (a < c ? -1 : 1)));

const normal = (r: InstallmentRow): InstallmentRow => ({
  number: r.number,
  periodStart: r.periodStart,
  dueDate: r.dueDate,
  openingBalance: r.openingBalance,
  interestAccrual: r.interestAccrual,
  due: { principal: r.due.principal, interest: r.due.interest, fees: r.due.fees, penalties: r.due.penalties },
  paid: {
    principal: r.paid.principal,
    interest: r.paid.interest,
    fees: r.paid.fees,
    penalties: r.paid.penalties,
  },
  waived: {
    principal: r.waived.principal,
    interest: r.waived.interest,
    fees: r.waived.fees,
    penalties: r.waived.penalties,
  },
  accrued: r.accrued,
  lateFeeAssessed: r.lateFeeAssessed,
});

const toRow = (r: Record<string, unknown>): InstallmentRow => {
  const n = (k: string) => Number(r[k]);
  return normal({
    number: n('number'),
    periodStart: r.period_start as CalendarDate,
    dueDate: r.due_date as CalendarDate,
    openingBalance: n('opening_balance'),
    interestAccrual: n('interest_accrual'),
    due: {
      principal: n('principal_due'),
      interest: n('interest_due'),
      fees: n('fees_due'),
      penalties: n('penalties_due'),
    },
    paid: {
      principal: n('principal_paid'),
      interest: n('interest_paid'),
      fees: n('fees_paid'),
      penalties: n('penalties_paid'),
    },
    waived: {
      principal: n('principal_waived'),
      interest: n('interest_waived'),
      fees: n('fees_waived'),
      penalties: n('penalties_waived'),
    },
    accrued: n('accrued'),
    lateFeeAssessed: r.late_fee_assessed === true,
  });
};
