import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { ok, type Result } from '../../../kernel/result.js';
import type {
  ComplianceGate,
  GateDecision,
  GateOptions,
  LoanFacts,
  PaymentFacts,
  Remedy,
  UnderwritingFacts,
} from '../../compliance/index.js';
import type { LateFeeTerms } from '../domain/common-terms.js';
import { comparePercent } from '../domain/exact.js';
import type { ActionInput, InstallmentRow, LoanServicing, StoredEvent } from '../product.js';
import { findLine } from '../providers/line_of_credit/store.js';
import type { LoanRow } from '../tables.js';
import {
  installmentSchedule,
  installmentUpfrontCharges,
  loanFacts,
  originationLateFee,
  rateChangesOf,
} from './facts.js';

/** A loan action's evaluations are written by the loan's own write (LoanService), not by the gate. */
const BY_CALLER: GateOptions = { store: 'caller' };

/** What the gate needs of a loan as a write read it (or as the payment port reads it). */
export interface GatedLoan {
  loan: LoanRow;
  businessDate: CalendarDate;
  events: readonly StoredEvent[];
  installments: readonly InstallmentRow[];
}

/**
 * Lending's side of the compliance gate for loans: the hook point of each loan action and the facts it has.
 * LoanService calls `action` inside a write, after the Idempotency-Key is looked up and before anything is planned
 * (a block writes nothing); the payments port calls `payment`. The rules' arithmetic stays here (the APR of the
 * disclosure, the late fee of the terms); the rules decide. Programs' checks (quotes, terms) are ProgramChecks.
 */
export class LendingChecks {
  readonly #facts = new WeakMap<GatedLoan, LoanFacts>();

  constructor(
    private readonly deps: {
      gate: ComplianceGate;
      db: Db;
      servicing: (product: string) => LoanServicing | null;
    },
  ) {}

  /**
   * The gate at the action's hook point: approval, disbursement, fee, payment, rate change; null elsewhere. A pass
   * or warn comes back with its evaluations `pending`: LoanService writes them in the loan's own write statement.
   */
  async action(scope: Scope, read: GatedLoan, input: ActionInput): Promise<Result<GateDecision | null>> {
    const { loan } = read;
    const at = {
      subject: { type: 'loan', id: loan.id } as const,
      programId: loan.programId,
      customerId: loan.customerId,
      asOf: read.businessDate,
    };
    const facts = this.facts(read);
    const { gate } = this.deps;
    switch (input.action) {
      case 'approve': {
        const underwriting = input.details?.underwriting as UnderwritingFacts | undefined;
        const approval = {
          hook: 'approval' as const,
          ...at,
          facts: { loan: facts, ...(underwriting && { underwriting }) },
        };
        // A closed-end loan's late fee is decided by its terms at origination, where the borrower's state (whose
        // cap applies) is known; close of business then charges it set-based, with no rule call per fee.
        const fee = loan.lateFee as LateFeeTerms | null;
        if (!fee || facts.creditType === 'open_end') return gate.check(scope, approval, BY_CALLER);
        const lateFee = originationLateFee(
          fee,
          facts.schedule,
          loan.roundingMode as never,
          read.businessDate,
        );
        return gate.checkAll(
          scope,
          [approval, { hook: 'fee_assessment', ...at, facts: { loan: facts, fee: lateFee } }],
          BY_CALLER,
        );
      }
      case 'disburse':
      case 'disburse_tranche':
        // A tranche is a disbursement too (the rules see the loan as it stands, on the tranche's date).
        return gate.check(
          scope,
          {
            hook: 'disbursement',
            ...at,
            facts: {
              loan: facts,
              disbursementDate:
                input.effectiveDate ?? (input.action === 'disburse' ? loan.startDate : read.businessDate),
            },
          },
          BY_CALLER,
        );
      case 'fee': {
        const kind = feeKind(input.details?.kind);
        return gate.check(
          scope,
          {
            hook: 'fee_assessment',
            ...at,
            facts: {
              loan: facts,
              fee: {
                kind,
                amount: input.amount ?? 0,
                date: input.effectiveDate ?? read.businessDate,
                paymentDue: await this.#minimumDue(scope.tenantId, loan),
              },
            },
          },
          BY_CALLER,
        );
      }
      case 'payment':
        // A payment recorded on the loan is collected money: the payment-collection hook (the payments module,
        // once it exists, asks through LoanCompliance before it collects).
        return this.payment(
          scope,
          read,
          { amount: input.amount ?? 0, date: input.effectiveDate ?? read.businessDate },
          BY_CALLER,
        );
      case 'rate_change':
        return gate.check(
          scope,
          {
            hook: 'rate_change',
            ...at,
            facts: {
              loan: facts,
              rateChange: {
                newAnnualRatePercent: input.annualInterestRate ?? facts.annualRatePercent,
                effectiveDate: input.effectiveDate ?? read.businessDate,
              },
            },
          },
          BY_CALLER,
        );
      default:
        return ok(null);
    }
  }

  /** Payment collection (the payments module through `lending.compliance`). */
  payment(
    scope: Scope,
    read: GatedLoan,
    payment: PaymentFacts,
    options?: GateOptions,
  ): Promise<Result<GateDecision>> {
    const { loan } = read;
    const facts = (g: GatedLoan) => this.facts(g);
    return this.deps.gate.check(
      scope,
      {
        hook: 'payment_collection',
        subject: { type: 'loan', id: loan.id },
        programId: loan.programId,
        customerId: loan.customerId,
        asOf: read.businessDate,
        // Computed when a rule listens at the hook (the gate reads them then), not on every collection: a
        // program with no payment-collection rule spent ~2% of a collection's CPU on facts nobody read.
        facts: {
          get loan() {
            return facts(read);
          },
          payment,
        },
      },
      options,
    );
  }

  /** The actions a decision's remedies ask of the loan: the SCRA cap as a rate change from the start of service. */
  remedies(decision: GateDecision, read: GatedLoan, input: ActionInput): ActionInput[] {
    // A rate change is what a remedy records: its own evaluation cannot ask for another.
    if (
      decision.remedies.length === 0 ||
      input.action === 'rate_change' ||
      read.loan.product !== 'installment_loan'
    )
      return [];
    const current = this.facts(read).annualRatePercent;
    return decision.remedies.flatMap((r: Remedy): ActionInput[] =>
      r.kind === 'rate_reduction' &&
      comparePercent(current, r.maxAnnualRatePercent) > 0 &&
      r.effectiveDate <= read.businessDate
        ? [
            {
              action: 'rate_change',
              annualInterestRate: r.maxAnnualRatePercent,
              effectiveDate: r.effectiveDate < read.loan.startDate ? read.loan.startDate : r.effectiveDate,
              details: { reason: 'scra' },
            },
          ]
        : [],
    );
  }

  /** The loan's facts, computed once per read (the gate and its remedies both ask). */
  facts(read: GatedLoan): LoanFacts {
    let facts = this.#facts.get(read);
    if (!facts) {
      facts = this.#computeFacts(read);
      this.#facts.set(read, facts);
    }
    return facts;
  }

  #computeFacts(read: GatedLoan): LoanFacts {
    const { loan, installments } = read;
    const servicing = this.deps.servicing(loan.product);
    const installment = loan.product === 'installment_loan';
    const schedule = installment
      ? installmentSchedule(loan.terms, installments)
      : installments.map((r) => ({ amount: r.due.principal + r.due.interest, date: r.dueDate }));
    const outstanding = installments.reduce(
      (s, r) => s + r.due.principal - r.paid.principal - r.waived.principal,
      0,
    );
    return loanFacts({
      loanId: loan.id,
      product: loan.product,
      terms: servicing?.termsJson(loan.terms) ?? {},
      schedule,
      ...(installment && { upfrontCharges: installmentUpfrontCharges(loan.terms) }),
      disclosure: loan.disclosure,
      originatorDisclosure: loan.originatorDisclosure,
      ...rateChangesOf(read.events),
      ...(installments.length > 0 && { outstandingPrincipal: outstanding }),
    });
  }

  /** A line's minimum payment on its last statement (what a penalty fee may not exceed); 0 before any. */
  async #minimumDue(tenantId: string, loan: LoanRow): Promise<Minor> {
    if (loan.product !== 'line_of_credit') return 0;
    return (await findLine(this.deps.db, { tenantId, loanId: loan.id }))?.lastMinimum ?? 0;
  }
}

const FEE_KINDS = ['late', 'returned_payment', 'over_limit', 'other'] as const;
const feeKind = (v: unknown): (typeof FEE_KINDS)[number] =>
  (FEE_KINDS as readonly unknown[]).includes(v) ? (v as (typeof FEE_KINDS)[number]) : 'other';
