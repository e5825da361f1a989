import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { CustomerService } from '../../tenancy/index.js';
import type { AttachRequest, MethodKind } from '../domain/processor.js';
import { newReference } from '../domain/reference.js';
import { type Processors, processorFailure, type ResolvedProcessor } from '../processors.js';
import type { MandateRecord, PaymentMethodRow } from '../tables.js';
import * as store from './store.js';

export interface PaymentMethodInput {
  customerId: string;
  kind: MethodKind;
  /** The processor config: named, else the program's, else the tenant's default. */
  providerConfigId?: string;
  programId?: string;
  /** A vendor token, or a profile stored at the processor by the lender's front end. */
  token?: string;
  profile?: { customerRef: string; methodRef: string; routingNumber?: string };
  /** Bank accounts: the holder's authorization of debits. */
  mandate?: { ipAddress: string; userAgent: string };
}

/**
 * Payment methods: a vendor token (a Stripe PaymentMethod or test token, an Authorize.Net Accept.js nonce) or a
 * stored vendor profile, attached to the customer at the processor. Plinth keeps the references and a masked
 * description, never a number. A bank account also needs its holder's authorization of debits (the mandate).
 */
export class PaymentMethodService {
  constructor(
    private readonly deps: { db: Db; customers: CustomerService; processors: Processors; now: () => Date },
  ) {}

  async create(scope: Scope, input: PaymentMethodInput): Promise<Result<PaymentMethodRow>> {
    if (input.kind === 'bank_account' && !input.mandate)
      return err(
        invalidField(
          'mandate',
          'a bank account needs the holder’s authorization of debits',
          'mandate_required',
        ),
      );
    const customer = await this.deps.customers.get(scope, input.customerId);
    if (!customer.ok) return err(invalidField('customer_id', 'no such customer', 'unknown_customer'));
    const resolved = await this.#processor(scope, input);
    if (!resolved.ok) return resolved;
    const processor = resolved.value;
    const tenantId = scope.tenantId;
    const source: AttachRequest['source'] = input.token
      ? { token: input.token }
      : { ...input.profile!, routingNumber: input.profile!.routingNumber };
    const customerRef =
      (await store.findProcessorCustomer(
        this.deps.db,
        tenantId,
        customer.value.id,
        processor.providerConfigId,
      )) ?? null;
    let attached: Awaited<ReturnType<typeof processor.instance.attachPaymentMethod>>;
    try {
      attached = await processor.instance.attachPaymentMethod({
        customer: { id: customer.value.id, name: customer.value.legalName, email: customer.value.email },
        customerRef,
        source,
        reference: newReference('M'),
      });
    } catch (e) {
      return err(processorFailure(e, input.token ? 'token' : 'profile'));
    }
    if (attached.outcome === 'declined')
      return err(
        failure(
          'payment_required',
          'payment_method_declined',
          `the processor declined the payment method (${attached.decline.code})`,
          {
            fields: [{ path: input.token ? 'token' : 'profile', message: attached.decline.message }],
            extra: { decline_code: attached.decline.code, processor_code: attached.decline.vendorCode },
          },
        ),
      );
    const m = attached.method;
    if (m.kind !== input.kind)
      return err(
        invalidField(
          'type',
          `the processor holds a ${m.kind} for this token`,
          'payment_method_type_mismatch',
        ),
      );
    if (!customerRef && 'token' in source)
      await store.saveProcessorCustomer(this.deps.db, {
        tenantId,
        customerId: customer.value.id,
        providerConfigId: processor.providerConfigId,
        customerRef: m.customerRef,
      });
    const mandate: MandateRecord | null =
      m.kind === 'bank_account' && input.mandate
        ? {
            ip_address: input.mandate.ipAddress,
            user_agent: input.mandate.userAgent,
            accepted_at: this.deps.now().toISOString(),
          }
        : null;
    const row = await store.insertMethod(this.deps.db, {
      tenantId,
      id: uuidv7(),
      customerId: customer.value.id,
      providerConfigId: processor.providerConfigId,
      providerKey: processor.providerKey,
      kind: m.kind,
      customerRef: m.customerRef,
      methodRef: m.methodRef,
      brand: m.brand,
      last4: m.last4,
      expMonth: m.expMonth,
      expYear: m.expYear,
      bankName: m.bankName,
      routingNumber: m.routingNumber,
      mandate,
    });
    if (row.customerId !== customer.value.id)
      return err(
        failure(
          'conflict',
          'payment_method_of_another_customer',
          'this payment method is stored for another customer',
        ),
      );
    return ok(row);
  }

  async #processor(scope: Scope, input: PaymentMethodInput): Promise<Result<ResolvedProcessor>> {
    if (input.providerConfigId)
      return this.deps.processors.named(scope.tenantId, input.providerConfigId, 'provider_config_id');
    if (input.programId && !isUuid(input.programId))
      return err(invalidField('program_id', 'no such program', 'unknown_program'));
    return this.deps.processors.forProgram(scope.tenantId, input.programId ?? null);
  }

  /** A payment method of the tenant; another tenant's is not found. */
  async get(scope: Scope, id: string): Promise<Result<PaymentMethodRow>> {
    const row = isUuid(id) ? await store.findMethod(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('payment method'));
  }

  /** A customer's payment method: another customer's (or tenant's) is not found. */
  async ofCustomer(scope: Scope, id: string, customerId: string | null): Promise<Result<PaymentMethodRow>> {
    const found = await this.get(scope, id);
    return ofCustomer(found.ok ? found.value : null, customerId);
  }

  list(
    scope: Scope,
    opts: { limit: number; before?: string; customerId?: string },
  ): Promise<PaymentMethodRow[]> {
    return store.listMethods(this.deps.db, scope.tenantId, {
      limit: opts.limit,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
      customerId: opts.customerId && isUuid(opts.customerId) ? opts.customerId : undefined,
    });
  }

  markMandateUsed(scope: Scope, id: string): Promise<void> {
    return store.markMandateUsed(this.deps.db, scope.tenantId, id);
  }
}

export const methodNotFound = () =>
  failure('not_found', 'not_found', 'payment method not found', {
    fields: [
      { path: 'payment_method_id', message: "no active payment method of this loan's or request's customer" },
    ],
  });

/** `m` if it is an active method of `customerId`; another customer's (or tenant's), or none, is not found. */
export function ofCustomer(m: PaymentMethodRow | null, customerId: string | null): Result<PaymentMethodRow> {
  if (!m || m.customerId !== customerId || m.status !== 'active') return err(methodNotFound());
  return ok(m);
}
