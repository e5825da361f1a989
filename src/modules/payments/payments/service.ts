import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { Minor } from '../../../kernel/money.js';
import { err, type Failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { LoanSnapshot } from '../../lending/index.js';
import { newReference } from '../domain/reference.js';
import { checkCapture, checkVoid } from '../domain/states.js';
import type { PaymentMethodRow, PaymentRow, PaymentSource, TransitionSource } from '../tables.js';
import { Calls } from './calls.js';
import { type KeyedAnswer, KeyedAnswers, type KeyedPaymentInput, type KeyedRequest } from './keyed.js';
import { factsOf } from './recorder.js';
import { type CallDeps, callContext } from './requests.js';
import * as store from './store.js';

export interface PaymentInput {
  customerId: string;
  paymentMethodId: string;
  amount: Minor;
  currency: string;
  capture: boolean;
  description?: string | null;
  /**
   * Collections: the loan the payment pays (applied through its waterfall when captured), and the loan as the
   * collection read it (`snapshot`: the loan's write plans from it, reading again only if the loan moved on).
   */
  loan?: { id: string; programId: string; autopayDueDate?: CalendarDate; snapshot?: LoanSnapshot };
  source?: PaymentSource;
  /**
   * Asked once the input is checked and before anything is recorded or sent (a collection's compliance gate): an
   * error stops the payment, nothing recorded and nothing charged; a value is kept on its first transition.
   */
  admit?: () => Promise<Result<Record<string, unknown> | null>>;
  /** The method as the caller already found it for `customerId` (a collection): not read again. */
  method?: PaymentMethodRow;
}

/**
 * Payments: record first, call the processor, then finalize (PaymentRecorder). A payment carries the client's
 * Idempotency-Key: a request sent again after a timeout finds the payment and resumes it, re-sending the same
 * call with the same reference, which the processor answers with the first call's outcome.
 */
export class PaymentService {
  readonly calls: Calls;
  readonly #keyed: KeyedAnswers;

  constructor(private readonly deps: CallDeps) {
    this.calls = new Calls(deps);
    this.#keyed = new KeyedAnswers(deps);
  }

  /**
   * `create` under the request's Idempotency-Key (a collection's): one statement claims the key, reads the method,
   * looks for a payment already recorded under the key and records the new one (claim.ts); the statement that
   * records the processor's answer completes the key (with the loan's write when the payment pays a loan,
   * recorder.ts). A key used before answers its stored response; a payment recorded under it is resumed.
   */
  async createKeyed(
    scope: Scope,
    input: PaymentInput & KeyedPaymentInput,
    keyed: KeyedRequest,
  ): Promise<KeyedAnswer> {
    const tenantId = scope.tenantId;
    const admitted = input.admit ? await input.admit() : ok(null);
    // Refused before anything is recorded, unless a payment was recorded under the key already (it is resumed).
    if (!admitted.ok && !(await store.findByKey(this.deps.db, tenantId, keyed.key)))
      return this.refuse(tenantId, keyed, admitted.error);
    const { processor } = input;
    const placeholder = { kind: 'card' as const, mandateUsed: true }; // the statement sets the method's
    const row = this.#newRow(
      scope,
      input,
      {
        id: input.paymentMethodId,
        providerConfigId: processor.providerConfigId,
        providerKey: processor.providerKey,
        ...placeholder,
      },
      keyed.key,
    );
    const detail = { amount: row.amount, capture: row.capture, ...(admitted.ok ? admitted.value : null) };
    const claimed = await this.#keyed.claim(scope, keyed, row, input, detail);
    if (claimed.kind === 'answered') return claimed.answer;
    try {
      if (claimed.kind === 'resume')
        return await this.#keyed.finish(tenantId, keyed, ok(await this.resume(scope, claimed.payment)));
      const key = this.#keyed.pending(keyed);
      const p = await this.calls.authorize(
        scope,
        claimed.payment,
        processor.instance,
        claimed.method,
        sourceOf(input),
        input.loan?.snapshot,
        key,
      );
      return key.stored
        ? { response: key.stored, replayed: false }
        : await this.#keyed.finish(tenantId, keyed, ok(p));
    } catch (e) {
      await this.#keyed.release(tenantId, keyed);
      throw e;
    }
  }

  /** A refusal before anything was recorded, stored under the request's key. */
  refuse(tenantId: string, keyed: KeyedRequest, f: Failure): Promise<KeyedAnswer> {
    return this.#keyed.refuse(tenantId, keyed, f);
  }

  async create(scope: Scope, input: PaymentInput, key: string | null): Promise<Result<PaymentRow>> {
    const tenantId = scope.tenantId;
    if (key) {
      const existing = await store.findByKey(this.deps.db, tenantId, key);
      if (existing) return ok(await this.resume(scope, existing));
    }
    const method = input.method
      ? ok(input.method)
      : await this.deps.methods.ofCustomer(scope, input.paymentMethodId, input.customerId);
    if (!method.ok) return method;
    const m = method.value;
    const processor = await this.deps.processors.of(tenantId, m.providerConfigId);
    if (!processor.currencies.includes(input.currency))
      return err(
        invalidField(
          'currency',
          `the processor takes ${processor.currencies.join(', ')}`,
          'currency_not_supported',
        ),
      );
    if (m.kind === 'bank_account' && !input.capture)
      return err(
        invalidField('capture', 'a bank debit cannot be authorized without capture', 'capture_required'),
      );
    const admitted = input.admit ? await input.admit() : ok(null);
    if (!admitted.ok) return admitted;
    let p: PaymentRow;
    try {
      p = await store.insertPayment(
        this.deps.db,
        this.#newRow(scope, input, m, key),
        sourceOf(input),
        admitted.value,
      );
    } catch (e) {
      // The same key (or the same autopay installment) from a concurrent request: that payment is the answer.
      const again =
        key && isUniqueViolation(e, 'payments_idempotency_key')
          ? await store.findByKey(this.deps.db, tenantId, key)
          : undefined;
      if (again) return ok(await this.resume(scope, again));
      throw e;
    }
    return ok(await this.calls.authorize(scope, p, processor, m, sourceOf(input), input.loan?.snapshot));
  }

  #newRow(
    scope: Scope,
    input: PaymentInput,
    m: Pick<PaymentMethodRow, 'id' | 'providerConfigId' | 'providerKey' | 'kind' | 'mandateUsed'>,
    key: string | null,
  ): PaymentRow {
    const now = this.deps.now();
    return {
      tenantId: scope.tenantId,
      id: uuidv7(),
      reference: newReference('P'),
      idempotencyKey: key,
      customerId: input.customerId,
      paymentMethodId: m.id,
      providerConfigId: m.providerConfigId,
      providerKey: m.providerKey,
      loanId: input.loan?.id ?? null,
      programId: input.loan?.programId ?? null,
      source: input.source ?? 'api',
      autopayDueDate: input.loan?.autopayDueDate ?? null,
      kind: m.kind,
      currency: input.currency,
      amount: input.amount,
      capture: input.capture,
      withMandate: m.kind === 'bank_account' && !m.mandateUsed,
      description: input.description ?? null,
      state: 'pending',
      stage: 'pending',
      amountAuthorized: 0,
      amountCaptured: 0,
      amountRefunded: 0,
      dispute: null,
      // Recorded before the call is sent: a crash before its answer leaves the reconciler something to finish.
      operation: 'authorize',
      operationAmount: input.amount,
      operationStartedAt: now,
      processorId: null,
      declineCode: null,
      declineVendorCode: null,
      declineMessage: null,
      returnCode: null,
      error: null,
      loanApplied: 0,
      loanEventId: null,
      loanFeeCharged: false,
      loanError: null,
      version: 1,
      nextCheckAt: new Date(now.getTime() + 60_000),
      createdAt: now,
      updatedAt: now,
    };
  }

  /** A payment whose call is unanswered: the call is sent again (same reference); otherwise it is as it is. */
  async resume(scope: Scope, p: PaymentRow, source: TransitionSource = 'api'): Promise<PaymentRow> {
    if (!p.operation) return p;
    const processor = await this.deps.processors.of(p.tenantId, p.providerConfigId);
    const method = await this.deps.methods.get(scope, p.paymentMethodId);
    if (!method.ok) return p;
    return this.calls.resend(scope, p, processor, method.value, source);
  }

  async capture(scope: Scope, id: string, amount: Minor | undefined): Promise<Result<PaymentRow>> {
    const p = await this.#find(scope, id);
    if (!p.ok) return p;
    if (p.value.operation === 'capture') return ok(await this.resume(scope, p.value));
    const checked = checkCapture(factsOf(p.value), amount);
    if (!checked.ok) return checked;
    const { processor, method } = await callContext(this.deps, scope, p.value);
    return this.calls.capture(scope, p.value, processor, method, checked.value);
  }

  async void(scope: Scope, id: string): Promise<Result<PaymentRow>> {
    const p = await this.#find(scope, id);
    if (!p.ok) return p;
    if (p.value.operation === 'void') return ok(await this.resume(scope, p.value));
    const checked = checkVoid(factsOf(p.value));
    if (!checked.ok) return checked;
    const { processor, method } = await callContext(this.deps, scope, p.value);
    return this.calls.void(scope, p.value, processor, method);
  }

  async get(scope: Scope, id: string): Promise<Result<PaymentRow>> {
    return this.#find(scope, id);
  }

  async #find(scope: Scope, id: string): Promise<Result<PaymentRow>> {
    const row = isUuid(id) ? await store.findPayment(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('payment'));
  }

  list(scope: Scope, filter: store.PaymentFilter): Promise<PaymentRow[]> {
    return store.listPayments(this.deps.db, scope.tenantId, {
      ...filter,
      before: filter.before && isUuid(filter.before) ? filter.before : undefined,
      customerId: filter.customerId && isUuid(filter.customerId) ? filter.customerId : undefined,
      loanId: filter.loanId && isUuid(filter.loanId) ? filter.loanId : undefined,
    });
  }

  transitions(scope: Scope, id: string) {
    return store.listTransitions(this.deps.db, scope.tenantId, id);
  }
}

const sourceOf = (input: PaymentInput): TransitionSource => (input.source === 'autopay' ? 'autopay' : 'api');
