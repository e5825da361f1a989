import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';
import { err, failure, invalidField, ok, type Result } from '../../../kernel/result.js';
import { decisionJson } from '../../compliance/index.js';
import type { CollectibleLoan, LoanCompliance, LoanPayments } from '../../lending/index.js';
import type { PaymentMethodService } from '../payment-methods/service.js';
import type { PaymentService } from '../payments/service.js';
import type { Processors } from '../processors.js';
import type { SettingsService } from '../settings/service.js';
import type { PaymentMethodRow, PaymentRow } from '../tables.js';

/** How much to collect: minor units, what is due now, or what pays the loan off today. */
export type CollectionAmount = Minor | 'due' | 'payoff';

export interface CollectionInput {
  amount: CollectionAmount;
  paymentMethodId: string;
  description?: string | null;
}

/**
 * Collecting a loan's payment: the loan's program decides the processor (its assignment, else the tenant's
 * default, else a 409 naming the service type), the borrower's stored method must be at that processor, and the
 * payment is charged and captured at once. The loan receives it through its waterfall in the same statement that
 * records the capture (or the bank debit's initiation), payments/recorder.ts.
 */
export class CollectionService {
  constructor(
    private readonly deps: {
      lending: LoanPayments;
      payments: PaymentService;
      methods: PaymentMethodService;
      processors: Processors;
      settings: SettingsService;
      /** The payment-collection hook (absent without a compliance gate: nothing is gated). */
      compliance?: LoanCompliance;
    },
  ) {}

  async collect(
    scope: Scope,
    loanId: string,
    input: CollectionInput,
    key: string | null,
    autopayDueDate?: CalendarDate,
  ): Promise<Result<PaymentRow>> {
    const found = await this.deps.lending.collectible(scope, loanId);
    if (!found.ok) return found;
    const loan = found.value;
    const method = await this.methodOfLoan(scope, loan, input.paymentMethodId);
    if (!method.ok) return method;
    const amount = await this.#amount(scope, loan, input.amount);
    if (!amount.ok) return amount;
    return this.deps.payments.create(
      scope,
      {
        customerId: method.value.customerId,
        paymentMethodId: method.value.id,
        method: method.value,
        amount: amount.value,
        currency: loan.currency,
        capture: true,
        description: input.description ?? `loan ${loan.id}`,
        loan: {
          id: loan.id,
          programId: loan.programId,
          snapshot: loan.snapshot,
          ...(autopayDueDate && { autopayDueDate }),
        },
        source: autopayDueDate ? 'autopay' : 'collection',
        admit: () => this.#gate(scope, loan, amount.value),
      },
      key,
    );
  }

  /**
   * The payment-collection hook (OFAC screening, SCRA, ...), asked before anything is recorded or charged: a block
   * is the gate's 422 `compliance_blocked` naming the rule and its citation; a warn proceeds and is recorded on the
   * payment's first transition (the checks themselves are in compliance_checks); a remedy the rules ask for (the
   * SCRA cap) is recorded on the loan first.
   */
  async #gate(
    scope: Scope,
    loan: CollectibleLoan,
    amount: Minor,
  ): Promise<Result<Record<string, unknown> | null>> {
    if (!this.deps.compliance) return ok(null);
    const decided = await this.deps.compliance.checkPayment(
      scope,
      loan.id,
      { amount, date: loan.businessDate },
      loan.snapshot,
    );
    if (!decided.ok) return decided;
    return ok(decided.value.checks.length > 0 ? { compliance: decisionJson(decided.value) } : null);
  }

  /**
   * A stored method that may pay `loan`: the borrower's (another customer's or tenant's is not found), stored at
   * the processor the loan's program collects with (none configured: 409 naming the service type).
   */
  async methodOfLoan(
    scope: Scope,
    loan: CollectibleLoan,
    paymentMethodId: string,
  ): Promise<Result<PaymentMethodRow>> {
    const method = await this.deps.methods.ofCustomer(scope, paymentMethodId, loan.customerId);
    if (!method.ok) return method;
    const processor = await this.deps.processors.forProgram(scope.tenantId, loan.programId);
    if (!processor.ok) return processor;
    if (processor.value.providerConfigId !== method.value.providerConfigId)
      return err(
        invalidField(
          'payment_method_id',
          "the payment method is stored at another processor than the one the loan's program collects with",
          'payment_method_processor_mismatch',
        ),
      );
    return method;
  }

  async #amount(scope: Scope, loan: CollectibleLoan, wanted: CollectionAmount): Promise<Result<Minor>> {
    if (loan.payoff === null)
      return err(
        failure('conflict', 'loan_not_collectible', `a loan that is ${loan.status} takes no payments`, {
          extra: { loan_status: loan.status },
        }),
      );
    if (wanted === 'payoff') return ok(loan.payoff);
    if (wanted === 'due') {
      if (loan.due <= 0)
        return err(
          failure('conflict', 'nothing_due', 'nothing is due on this loan today', {
            fields: [{ path: 'amount', message: 'nothing is due' }],
          }),
        );
      return ok(Math.min(loan.due, loan.payoff));
    }
    if (wanted > loan.payoff) {
      const settings = await this.deps.settings.of(scope.tenantId, loan.programId);
      if (settings.overpayment === 'reject')
        return err(
          failure('unprocessable', 'amount_above_payoff', `the payoff is ${loan.payoff}`, {
            fields: [{ path: 'amount', message: `must not exceed the payoff ${loan.payoff}` }],
            extra: { payoff: loan.payoff },
          }),
        );
    }
    return ok(wanted);
  }
}
