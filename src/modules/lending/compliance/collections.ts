import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { err, notFound, ok, type Result } from '../../../kernel/result.js';
import type { GateDecision, PaymentFacts } from '../../compliance/index.js';
import type { BusinessDateService } from '../business-date/service.js';
import type { LoanService } from '../servicing/service.js';
import type { GatedLoan, LendingChecks } from './gate.js';

/**
 * The payment-collection hook for the payments module (issue 17): before it collects a payment on a loan, it asks
 * here; lending supplies the loan's facts, the gate decides, and a remedy the rules ask for (the SCRA cap) is
 * recorded on the loan before the payment is. A block is a `compliance_blocked` failure: collect nothing.
 */
export class LoanCompliance {
  constructor(
    private readonly deps: {
      db: Db;
      loans: LoanService;
      businessDates: BusinessDateService;
      checks: LendingChecks;
    },
  ) {}

  /** `snapshot`: the loan as the caller just read it (`LoanPayments.collectible`); read here otherwise. */
  async checkPayment(
    scope: Scope,
    loanId: string,
    payment: PaymentFacts,
    snapshot?: GatedLoan,
  ): Promise<Result<GateDecision>> {
    const { checks } = this.deps;
    let read = snapshot;
    if (!read) {
      const found = await this.deps.loans.snapshot(scope, loanId);
      if (!found.ok) return err(notFound('loan'));
      read = found.value;
    }
    const loan = read.loan;
    const decision = await checks.payment(scope, read, payment);
    if (!decision.ok) return decision;
    for (const remedy of checks.remedies(decision.value, read, { action: 'payment' }))
      await this.deps.loans.act(scope, loan.id, remedy);
    return ok(decision.value);
  }
}
