import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { answerFor } from '../../../kernel/idempotency.js';
import type { Minor } from '../../../kernel/money.js';
import { err, type Failure, failure, invalidField, ok, type Result } from '../../../kernel/result.js';
import { decisionJson } from '../../compliance/index.js';
import type { CollectibleLoan, LoanCompliance, LoanPayments } from '../../lending/index.js';
import { methodNotFound, ofCustomer, type PaymentMethodService } from '../payment-methods/service.js';
import type { KeyedAnswer, KeyedRequest } from '../payments/keyed.js';
import type { PaymentService } from '../payments/service.js';
import type { Processors, ResolvedProcessor } from '../processors.js';
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
   * `collect` under the request's Idempotency-Key (the route's `in_transaction` way): the key is looked up in the
   * loan's read, claimed in the statement that records the payment (which also reads the method), and completed in
   * the statement that records the processor's answer with the loan's write (PaymentService.createKeyed). A
   * refusal is stored under the key. Three statements for a collection, two of them commits, the last batched with
   * the loan writes in flight.
   */
  async collectKeyed(
    scope: Scope,
    loanId: string,
    input: CollectionInput,
    keyed: KeyedRequest,
  ): Promise<KeyedAnswer> {
    const { loan: found, held } = await this.deps.lending.collectibleKeyed(scope, loanId, keyed.key);
    if (held) {
      const answer = answerFor(held, keyed.requestHash);
      if (answer.ok) return { response: answer.value, replayed: true };
      // Still in progress: the claim below answers 409, or takes over a key its request abandoned.
      if (answer.error.code !== 'idempotency_key_in_progress')
        return { response: keyed.render(answer), replayed: false };
    }
    const refuse = (f: Failure) => this.deps.payments.refuse(scope.tenantId, keyed, f);
    if (!found.ok) return refuse(found.error);
    const loan = found.value;
    if (!loan.customerId) return refuse(methodNotFound());
    const processor = await this.deps.processors.forProgram(scope.tenantId, loan.programId);
    if (!processor.ok) return refuse(processor.error);
    const amount = await this.#amount(scope, loan, input.amount);
    if (!amount.ok) return refuse(amount.error);
    const currencies = processor.value.instance.currencies;
    if (!currencies.includes(loan.currency))
      return refuse(
        invalidField('currency', `the processor takes ${currencies.join(', ')}`, 'currency_not_supported'),
      );
    return this.deps.payments.createKeyed(
      scope,
      {
        customerId: loan.customerId,
        paymentMethodId: input.paymentMethodId,
        amount: amount.value,
        currency: loan.currency,
        capture: true,
        description: input.description ?? `loan ${loan.id}`,
        loan: { id: loan.id, programId: loan.programId, snapshot: loan.snapshot },
        source: 'collection',
        admit: () => this.#gate(scope, loan, amount.value),
        processor: processor.value,
        checkMethod: (m) => checkMethod(m, loan, processor.value),
      },
      keyed,
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
    return checkMethod(method.value, loan, processor.value);
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

/** A stored method that may pay `loan` at `processor`: the borrower's, active, stored at that processor. */
function checkMethod(
  m: PaymentMethodRow | null,
  loan: CollectibleLoan,
  processor: ResolvedProcessor,
): Result<PaymentMethodRow> {
  const own = ofCustomer(m, loan.customerId);
  if (!own.ok) return own;
  if (own.value.providerConfigId !== processor.providerConfigId)
    return err(
      invalidField(
        'payment_method_id',
        "the payment method is stored at another processor than the one the loan's program collects with",
        'payment_method_processor_mismatch',
      ),
    );
  return own;
}
