import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { exactMinor, type Minor } from '../../../kernel/money.js';
import { rateInForceSql } from '../rate-in-force.js';
import type { LoanFilter, LoanTapeRecord, TapeFigures } from './records.js';

/**
 * Each loan of a tenant with its receivable balances (the checkpoint plus the journal rows after it), its rate in
 * force on the business date (rate-in-force.ts) and what its installments owe before and from the business date: the loan tape's rows and the positions close of business
 * records (positions.ts) are read by this one query, so they agree.
 */
export function loanBookSql(
  tenantId: string,
  businessDate: CalendarDate | string,
  where: SQL,
  tail: SQL = sql``,
  whole = false,
): SQL {
  const owed = sql`ii.principal_due + ii.interest_due + ii.fees_due + ii.penalties_due
                   - ii.principal_paid - ii.interest_paid - ii.fees_paid - ii.penalties_paid
                   - ii.principal_waived - ii.interest_waived - ii.fees_waived - ii.penalties_waived`;
  const sums = sql`sum(CASE WHEN ii.due_date < ${businessDate}::date THEN ${owed} ELSE 0 END) AS past_due,
                   sum(CASE WHEN ii.due_date >= ${businessDate}::date THEN ${owed} ELSE 0 END) AS remaining`;
  // A page of loans probes each loan's installment rows by index (LATERAL). A read of the whole book (a cursor)
  // aggregates the tenant's installment rows in their key order instead and merges them with the loans, also in
  // key order: one pass over the index, where a probe per loan re-descended it a million times. The journal is
  // probed per loan either way: only the rows after the loan's checkpoint are read, where a pass would read all.
  const installments = whole
    ? sql`(SELECT ii.loan_id, ${sums} FROM loan_installments ii WHERE ii.tenant_id = ${tenantId}
            GROUP BY ii.loan_id) i ON i.loan_id = l.id`
    : sql`LATERAL (SELECT ${sums} FROM loan_installments ii
                    WHERE ii.tenant_id = l.tenant_id AND ii.loan_id = l.id) i`;
  return sql`SELECT l.id, l.program_id, l.product, l.customer_id, l.external_ref, l.status, l.currency, l.amount,
                   l.start_date::text AS start_date, l.maturity_date::text AS maturity_date,
                   (${rateInForceSql('num', sql`${businessDate}::date`)})::text AS rate_num,
                   (${rateInForceSql('den', sql`${businessDate}::date`)})::text AS rate_den, l.day_count,
                   l.days_past_due, l.delinquency_bucket, l.installment_count,
                   l.oldest_unpaid_due::text AS oldest_unpaid_due,
                   coalesce((l.balances->>'loans_receivable')::bigint, 0) + coalesce(j.principal, 0) AS principal,
                   coalesce((l.balances->>'interest_receivable')::bigint, 0) + coalesce(j.interest, 0) AS interest,
                   coalesce((l.balances->>'fees_receivable')::bigint, 0) + coalesce(j.fees, 0) AS fees,
                   coalesce((l.balances->>'penalties_receivable')::bigint, 0) + coalesce(j.penalties, 0) AS penalties,
                   coalesce(i.past_due, 0) AS past_due, coalesce(i.remaining, 0) AS remaining
              FROM loans l
              LEFT JOIN LATERAL (
                SELECT sum(CASE WHEN debit_account = 'loans_receivable' THEN amount
                                WHEN credit_account = 'loans_receivable' THEN -amount ELSE 0 END) AS principal,
                       sum(CASE WHEN debit_account = 'interest_receivable' THEN amount
                                WHEN credit_account = 'interest_receivable' THEN -amount ELSE 0 END) AS interest,
                       sum(CASE WHEN debit_account = 'fees_receivable' THEN amount
                                WHEN credit_account = 'fees_receivable' THEN -amount ELSE 0 END) AS fees,
                       sum(CASE WHEN debit_account = 'penalties_receivable' THEN amount
                                WHEN credit_account = 'penalties_receivable' THEN -amount ELSE 0 END) AS penalties
                  FROM loan_journal jj
                 WHERE jj.tenant_id = l.tenant_id AND jj.loan_id = l.id AND jj.id > l.journal_through) j ON true
              LEFT JOIN ${installments}${whole ? sql`` : sql` ON true`}
             WHERE l.tenant_id = ${tenantId} AND ${where} ${tail}`;
}

/**
 * `loanBookSql` with what the loan tape derives per loan, computed in the same statement: exact integer
 * arithmetic on the rate's numerator and denominator (numeric, so nothing overflows), so a million rows need no
 * decimal object each.
 *   per_diem: principal × rate ÷ (360 or 365 by the day count), rounded half-even; 0 without principal.
 *   rate_percent: rate × 100 to 6 places, rounded half away from zero, trailing zeros dropped ("11.5").
 */
export function loanTapeSql(
  tenantId: string,
  businessDate: CalendarDate | string,
  where: SQL,
  tail: SQL = sql``,
  whole = false,
): SQL {
  const year = sql`CASE WHEN b.day_count IN ('30/360', 'actual/360') THEN 360 WHEN b.day_count = 'actual/364' THEN 364 ELSE 365 END`;
  return sql`SELECT b.*,
                   CASE WHEN b.principal <= 0 THEN 0
                        ELSE ${halfEven(sql`(b.principal * b.rate_num::numeric)`, sql`(b.rate_den::numeric * ${year})`)}
                   END AS per_diem,
                   trim_scale(${halfUp(sql`(b.rate_num::numeric * 100000000)`, sql`b.rate_den::numeric`)} / 1000000.0)::text
                     AS rate_percent
              FROM (${loanBookSql(tenantId, businessDate, where, tail, whole)}) b`;
}

/** round(n / d) half to even, exactly, for integers n >= 0 and d > 0 (plain expressions: no subquery per row). */
const halfEven = (n: SQL, d: SQL): SQL =>
  sql`(div(${n}, ${d}) + CASE WHEN 2 * mod(${n}, ${d}) > ${d}
                              OR (2 * mod(${n}, ${d}) = ${d} AND mod(div(${n}, ${d}), 2) = 1) THEN 1 ELSE 0 END)`;

/** round(n / d) half away from zero, exactly, for integers n and d > 0. */
const halfUp = (n: SQL, d: SQL): SQL =>
  sql`(sign(${n}) * (div(abs(${n}), ${d}) + CASE WHEN 2 * mod(abs(${n}), ${d}) >= ${d} THEN 1 ELSE 0 END))`;

/** `l.program_id` matches the filter's program (any program when there is none). */
export const programIs = (filter: LoanFilter, column = sql`l.program_id`): SQL =>
  sql`(${filter.programId ?? null}::uuid IS NULL OR ${column} = ${filter.programId ?? null}::uuid)`;

/** A nullable numeric column as minor units (a sum over no rows is null). */
export const toMinor = (v: unknown): Minor => (v === null || v === undefined ? 0 : exactMinor(v as string));

/** A row of `loanBookSql` as the reports' record. */
export function loanRecord(r: Record<string, unknown>): LoanTapeRecord {
  return {
    id: String(r.id),
    programId: String(r.program_id),
    product: String(r.product),
    customerId: (r.customer_id as string | null) ?? null,
    externalRef: (r.external_ref as string | null) ?? null,
    status: String(r.status),
    currency: String(r.currency),
    amount: toMinor(r.amount),
    startDate: r.start_date as CalendarDate,
    maturityDate: (r.maturity_date as CalendarDate | null) ?? null,
    rateNum: String(r.rate_num),
    rateDen: String(r.rate_den),
    dayCount: (r.day_count as string | null) ?? null,
    daysPastDue: Number(r.days_past_due),
    bucket: String(r.delinquency_bucket),
    principal: toMinor(r.principal),
    interest: toMinor(r.interest),
    fees: toMinor(r.fees),
    penalties: toMinor(r.penalties),
    pastDue: toMinor(r.past_due),
    scheduledRemaining: toMinor(r.remaining),
  };
}

/** A row of `loanTapeSql` as the loan tape's record. */
export function loanTapeRecord(r: Record<string, unknown>): LoanTapeRecord & TapeFigures {
  // Added to the record rather than spread into a copy: a tape makes a million of these.
  const record = loanRecord(r) as LoanTapeRecord & TapeFigures;
  record.perDiem = toMinor(r.per_diem);
  record.ratePercent = String(r.rate_percent);
  return record;
}
