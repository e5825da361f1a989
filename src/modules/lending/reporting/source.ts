import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Database, type Db, rows } from '../../../kernel/db.js';
import { loanBookSql, loanRecord, loanTapeRecord, loanTapeSql, programIs, toMinor } from './book.js';
import { type CreditAccountRecord, creditAccounts } from './credit.js';
import { type LoanOutcome, loanOutcomes } from './outcomes.js';
import { LoanPositions } from './positions.js';
import type {
  DisbursementRecord,
  LoanFilter,
  LoanTapeRecord,
  PaymentRecord,
  PostingTotal,
  ScheduledReceipt,
  TapeFigures,
  TrialBalanceLine,
} from './records.js';

/**
 * Lending's read port for the reporting module: loans, the journal and its postings, read in keyset pages so a
 * report streams a million loans without holding them. Reporting never reads lending's tables itself.
 */

export class LendingReportSource {
  /** Loan positions by business date (close of business records them). */
  readonly positions: LoanPositions;

  constructor(
    private readonly deps: {
      db: Db;
      /** PostgreSQL's server-side cursor (Database.cursor); without it (PGlite) loans are read in keyset pages. */
      cursor?: Database['cursor'];
    },
  ) {
    this.positions = new LoanPositions(deps);
  }

  /** The tenant's programs (id, name, type), for parameter checks and labels. */
  async programs(tenantId: string): Promise<{ id: string; name: string; programType: string }[]> {
    return rows(
      this.deps.db,
      sql`SELECT id, name, program_type AS "programType" FROM programs WHERE tenant_id = ${tenantId} ORDER BY id`,
    );
  }

  /** Loans with their disbursements, charge-offs, recoveries and principal repaid through `asOf` (vintages). */
  outcomes(tenantId: string, asOf: CalendarDate, filter: LoanFilter = {}): AsyncIterable<LoanOutcome> {
    return loanOutcomes(this.deps.db, tenantId, asOf, filter);
  }

  /** Every loan that has been on book, with what credit reporting needs, as of the business date. */
  async *creditAccounts(tenantId: string, filter: LoanFilter = {}): AsyncIterable<CreditAccountRecord> {
    const businessDate = await this.businessDate(tenantId);
    if (businessDate) yield* creditAccounts(this.deps.db, tenantId, businessDate, filter);
  }

  /** The tenant's business date (null before lending has one). */
  async businessDate(tenantId: string): Promise<CalendarDate | null> {
    const [r] = await rows<{ d: string }>(
      this.deps.db,
      sql`SELECT business_date::text AS d FROM business_dates WHERE tenant_id = ${tenantId}`,
    );
    return (r?.d as CalendarDate | undefined) ?? null;
  }

  /**
   * Every loan of the tenant (of a program), in id order. Balances are the loan's journal checkpoint plus the
   * postings after it; past due and scheduled remaining come from the installment rows.
   */
  loans(tenantId: string, filter: LoanFilter = {}, batchSize = 2000): AsyncIterable<LoanTapeRecord> {
    return this.book(tenantId, filter, batchSize, loanBookSql, loanRecord);
  }

  /** `loans` with the loan tape's per-loan figures (per-diem interest, the rate in percent) computed by the query. */
  tape(
    tenantId: string,
    filter: LoanFilter = {},
    batchSize = 1000,
  ): AsyncIterable<LoanTapeRecord & TapeFigures> {
    return this.book(tenantId, filter, batchSize, loanTapeSql, loanTapeRecord);
  }

  /**
   * On PostgreSQL one query through a cursor, `batchSize` rows a fetch (planned once, one snapshot, never held
   * whole); on PGlite keyset pages of `batchSize` (a cursor would hold its one connection).
   */
  private async *book<R>(
    tenantId: string,
    filter: LoanFilter,
    batchSize: number,
    query: (tenantId: string, businessDate: string, where: SQL, tail: SQL, whole: boolean) => SQL,
    record: (r: Record<string, unknown>) => R,
  ): AsyncIterable<R> {
    const businessDate = (await this.businessDate(tenantId)) ?? '9999-12-31';
    if (this.deps.cursor) {
      const all = sql`${query(tenantId, businessDate, programIs(filter), sql``, true)} ORDER BY id`;
      for await (const batch of this.deps.cursor(all, batchSize)) for (const r of batch) yield record(r);
      return;
    }
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await rows<Record<string, unknown>>(
        this.deps.db,
        sql`${query(tenantId, businessDate, sql`l.id > ${after}::uuid AND ${programIs(filter)}`, sql``, false)}
             ORDER BY id
             LIMIT ${batchSize}`,
      );
      for (const r of page) yield record(r);
      if (page.length < batchSize) return;
      after = String(page.at(-1)!.id);
    }
  }

  /** What installments due on or after the business date still owe, summed by due date (loans in `currency`). */
  async *scheduledReceipts(
    tenantId: string,
    filter: LoanFilter & { currency: string },
  ): AsyncIterable<ScheduledReceipt> {
    const businessDate = (await this.businessDate(tenantId)) ?? '0001-01-01';
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT i.due_date::text AS date, count(*) AS installments,
                 sum(i.principal_due - i.principal_paid - i.principal_waived) AS principal,
                 sum(i.interest_due - i.interest_paid - i.interest_waived) AS interest,
                 sum(i.fees_due + i.penalties_due - i.fees_paid - i.penalties_paid - i.fees_waived
                     - i.penalties_waived) AS fees
            FROM loan_installments i
            JOIN loans l ON l.tenant_id = i.tenant_id AND l.id = i.loan_id
           WHERE i.tenant_id = ${tenantId} AND i.due_date >= ${businessDate}::date AND l.currency = ${filter.currency}
             AND l.status NOT IN ('charged_off', 'closed', 'paid_off', 'overpaid', 'rejected', 'withdrawn')
             AND ${programIs(filter)}
           GROUP BY i.due_date
           ORDER BY i.due_date`,
    );
    for (const r of found) {
      const principal = toMinor(r.principal);
      const interest = toMinor(r.interest);
      const fees = toMinor(r.fees);
      if (principal + interest + fees === 0) continue;
      yield {
        date: r.date as CalendarDate,
        installments: Number(r.installments),
        principal,
        interest,
        fees,
        amount: principal + interest + fees,
      };
    }
  }

  /**
   * Journal postings of some kinds (accrual, charge_off, recovery, ...) dated in [from, to], summed per day,
   * program, currency, kind and account pair, in date order.
   */
  async *postings(
    tenantId: string,
    kinds: readonly string[],
    period: { from: CalendarDate; to: CalendarDate },
    filter: LoanFilter = {},
  ): AsyncIterable<PostingTotal> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT j.entry_date::text AS date, l.program_id, l.currency, j.kind, j.debit_account, j.credit_account,
                 count(DISTINCT j.loan_id) AS loans, sum(j.amount) AS amount
            FROM loan_journal j
            JOIN loans l ON l.tenant_id = j.tenant_id AND l.id = j.loan_id
           WHERE j.tenant_id = ${tenantId} AND j.kind = ANY(${sql.param([...kinds])}::text[])
             AND j.entry_date BETWEEN ${period.from}::date AND ${period.to}::date
             AND ${programIs(filter)}
           GROUP BY j.entry_date, l.program_id, l.currency, j.kind, j.debit_account, j.credit_account
           ORDER BY j.entry_date, l.program_id, j.kind, j.debit_account, j.credit_account`,
    );
    for (const r of found)
      yield {
        date: r.date as CalendarDate,
        programId: String(r.program_id),
        currency: String(r.currency),
        kind: String(r.kind),
        debitAccount: String(r.debit_account),
        creditAccount: String(r.credit_account),
        loans: Number(r.loans),
        amount: toMinor(r.amount),
      };
  }

  /** Debits and credits per account over the tenant's journal entries dated on or before `asOf`. */
  async trialBalance(tenantId: string, asOf: CalendarDate): Promise<TrialBalanceLine[]> {
    const found = await rows<{ account: string; debits: string; credits: string }>(
      this.deps.db,
      sql`SELECT s.account, sum(s.debit) AS debits, sum(s.credit) AS credits
            FROM loan_journal j
           CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount, 0::bigint),
                                      (j.credit_account, 0::bigint, j.amount)) AS s (account, debit, credit)
           WHERE j.tenant_id = ${tenantId} AND j.entry_date <= ${asOf}::date
           GROUP BY s.account
           ORDER BY s.account`,
    );
    return found.map((r) => ({ account: r.account, debits: toMinor(r.debits), credits: toMinor(r.credits) }));
  }

  /** Cash received by payments dated in [from, to], one record per payment entry, in date order. */
  async *payments(
    tenantId: string,
    period: { from: CalendarDate; to: CalendarDate },
    filter: LoanFilter = {},
  ): AsyncIterable<PaymentRecord> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT j.loan_id, l.program_id, j.event_id, j.entry_date::text AS date, l.currency,
                 sum(j.amount) AS amount,
                 sum(j.amount) FILTER (WHERE j.credit_account = 'loans_receivable') AS principal,
                 sum(j.amount) FILTER (WHERE j.credit_account = 'interest_receivable') AS interest,
                 sum(j.amount) FILTER (WHERE j.credit_account = 'fees_receivable') AS fees,
                 sum(j.amount) FILTER (WHERE j.credit_account = 'penalties_receivable') AS penalties,
                 sum(j.amount) FILTER (WHERE j.credit_account = 'overpayment_liability') AS overpayment
            FROM loan_journal j
            JOIN loans l ON l.tenant_id = j.tenant_id AND l.id = j.loan_id
           WHERE j.tenant_id = ${tenantId} AND j.kind = 'payment' AND j.debit_account = 'cash'
             AND j.entry_date BETWEEN ${period.from}::date AND ${period.to}::date
             AND ${programIs(filter)}
           GROUP BY j.loan_id, l.program_id, j.event_id, j.entry_date, l.currency
           ORDER BY j.entry_date, j.loan_id, j.event_id`,
    );
    for (const r of found)
      yield {
        ...movementOf(r),
        principal: toMinor(r.principal),
        interest: toMinor(r.interest),
        fees: toMinor(r.fees),
        penalties: toMinor(r.penalties),
        overpayment: toMinor(r.overpayment),
      };
  }

  /** Money lent out in [from, to]: the journal's disbursement postings crediting cash. */
  async *disbursements(
    tenantId: string,
    period: { from: CalendarDate; to: CalendarDate },
    filter: LoanFilter = {},
  ): AsyncIterable<DisbursementRecord> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT j.loan_id, l.program_id, j.event_id, j.entry_date::text AS date, l.currency, sum(j.amount) AS amount
            FROM loan_journal j
            JOIN loans l ON l.tenant_id = j.tenant_id AND l.id = j.loan_id
           WHERE j.tenant_id = ${tenantId} AND j.kind = 'disbursement' AND j.credit_account = 'cash'
             AND j.entry_date BETWEEN ${period.from}::date AND ${period.to}::date
             AND ${programIs(filter)}
           GROUP BY j.loan_id, l.program_id, j.event_id, j.entry_date, l.currency
           ORDER BY j.entry_date, j.loan_id`,
    );
    for (const r of found) yield movementOf(r);
  }
}

/** The columns a cash movement (a payment's, a disbursement's) row shares. */
function movementOf(r: Record<string, unknown>): DisbursementRecord {
  return {
    loanId: String(r.loan_id),
    programId: String(r.program_id),
    eventId: (r.event_id as string | null) ?? null,
    date: r.date as CalendarDate,
    currency: String(r.currency),
    amount: toMinor(r.amount),
  };
}
