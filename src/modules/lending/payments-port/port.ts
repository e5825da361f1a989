import { sql } from 'drizzle-orm';
import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { HeldKey } from '../../../kernel/idempotency.js';
import type { Minor } from '../../../kernel/money.js';
import { ok, type Result } from '../../../kernel/result.js';
import type { BusinessDateService } from '../business-date/service.js';
import type { CloseOfBusinessService } from '../close-of-business/service.js';
import type { ActionInput } from '../product.js';
import type { LoanRead } from '../servicing/read.js';
import type { ActionOutcome, LoanService } from '../servicing/service.js';
import type { Attached } from './attached.js';

/** What collecting a loan's payment needs to know of the loan. */
export interface CollectibleLoan {
  id: string;
  programId: string;
  customerId: string | null;
  product: string;
  currency: string;
  status: string;
  businessDate: CalendarDate;
  /** Owed now: every installment due on or before the business date, all components. */
  due: Minor;
  /** What paying the loan off today takes; null when the loan has no payoff (not in servicing). */
  payoff: Minor | null;
  /** The loan as read, handed back to lending's payment-collection hook so it does not read it again. */
  snapshot: LoanSnapshot;
}

/** A loan as lending read it (opaque to other modules). */
export type LoanSnapshot = LoanRead;

/** An installment falling due: what autopay collects. */
export interface InstallmentDue {
  loanId: string;
  dueDate: CalendarDate;
  /** What the installment still owes. */
  amount: Minor;
}

/**
 * Lending's port for the payments module: what a collection reads of a loan, how a payment is applied (or
 * reversed, or a returned-payment fee charged) through the loan's own write with the payment's record attached
 * (attached.ts), which installments fall due on a date, and when close of business opens a new business day.
 */
export class LoanPayments {
  constructor(
    private readonly deps: {
      db: Db;
      loans: LoanService;
      businessDates: BusinessDateService;
      closeOfBusiness: CloseOfBusinessService;
    },
  ) {}

  /** One read of the loan (the statement a write reads with, batched with the reads in flight). */
  async collectible(scope: Scope, loanId: string): Promise<Result<CollectibleLoan>> {
    return (await this.collectibleKeyed(scope, loanId, null)).loan;
  }

  /** `collectible` with the request's Idempotency-Key looked up in the same read (`held`: used before). */
  async collectibleKeyed(
    scope: Scope,
    loanId: string,
    key: string | null,
  ): Promise<{ loan: Result<CollectibleLoan>; held: HeldKey | null }> {
    const { read, held } = await this.deps.loans.snapshotKeyed(scope, loanId, key);
    return { loan: read.ok ? this.#collectible(read.value) : read, held };
  }

  #collectible(read: LoanRead): Result<CollectibleLoan> {
    const { loan, businessDate, installments } = read;
    let due = 0;
    for (const i of installments)
      if (i.dueDate <= businessDate)
        for (const c of ['principal', 'interest', 'fees', 'penalties'] as const)
          due += i.due[c] - i.paid[c] - i.waived[c];
    const quote = this.deps.loans.payoffOf(read);
    const total = quote.ok ? quote.value.total : undefined;
    return ok({
      id: loan.id,
      programId: loan.programId,
      customerId: loan.customerId,
      product: loan.product,
      currency: loan.currency,
      status: loan.status,
      businessDate,
      due: Math.max(0, due),
      payoff: typeof total === 'number' ? total : null,
      snapshot: read,
    });
  }

  /**
   * Applies `input` (a payment, its reversal, a fee) with `attach`'s rows in the same statement. A payment was
   * gated at payment collection before the processor was called (`LoanCompliance.checkPayment`): the money is
   * in, so the loan takes it without asking the gate again. A fee is gated (fee assessment) as any fee is.
   * `read`: the loan as `collectible` read it; the write plans from it rather than reading the loan again, and
   * reads afresh only if the loan moved on since (the write's guard holds the read's version).
   */
  apply(
    scope: Scope,
    loanId: string,
    input: ActionInput,
    attach: (outcome: ActionOutcome) => readonly Attached[],
    read?: LoanSnapshot,
  ): Promise<Result<ActionOutcome>> {
    return this.deps.loans.act(scope, loanId, input, attach, {
      gated: input.action === 'payment',
      ...(read && { read }),
    });
  }

  /** Installments of `loanIds` due on `date` that still owe something. */
  async installmentsDue(
    tenantId: string,
    date: CalendarDate,
    loanIds: readonly string[],
  ): Promise<InstallmentDue[]> {
    if (loanIds.length === 0) return [];
    const found = await rows<{ loan_id: string; due_date: string; owed: string | number }>(
      this.deps.db,
      sql`SELECT i.loan_id, i.due_date::text AS due_date,
                 (principal_due + interest_due + fees_due + penalties_due
                  - principal_paid - interest_paid - fees_paid - penalties_paid
                  - principal_waived - interest_waived - fees_waived - penalties_waived) AS owed
            FROM loan_installments i JOIN loans l ON l.tenant_id = i.tenant_id AND l.id = i.loan_id
           WHERE i.tenant_id = ${tenantId} AND i.due_date = ${date}::date
             AND i.loan_id IN (${sql.join(
               loanIds.map((id) => sql`${id}::uuid`),
               sql`, `,
             )})
             AND l.status IN ('active', 'delinquent')`,
    );
    return found
      .map((r) => ({ loanId: r.loan_id, dueDate: r.due_date as CalendarDate, amount: Number(r.owed) }))
      .filter((r) => r.amount > 0);
  }

  /** Called with the tenant and the new business date each time close of business completes a day. */
  onDayOpened(listener: (tenantId: string, businessDate: CalendarDate) => Promise<void>): void {
    this.deps.closeOfBusiness.onDayOpened(listener);
  }
}
