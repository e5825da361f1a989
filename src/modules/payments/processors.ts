import { ConfigurationError, ProviderError } from '../../kernel/errors.js';
import { isUuid } from '../../kernel/ids.js';
import { err, type Failure, failure, invalidField, ok, type Result } from '../../kernel/result.js';
import type { ProviderResolver, ResolvedProvider } from '../../providers/index.js';
import type { PaymentProcessor } from './domain/processor.js';

export type ResolvedProcessor = ResolvedProvider<'payment_processor'>;

/** No processor for a program or tenant: the service type is what the tenant must configure. */
const noProcessor = () =>
  failure('conflict', 'no_provider', 'no payment processor is configured for this program or tenant', {
    extra: { service_type: 'payment_processor' },
  });

/**
 * Which processor serves a request: a program's assignment, else the tenant's default (a new payment method, a
 * collection); or the config a record stored (a payment's capture goes where its authorization went, even after
 * the default changed).
 */
export class Processors {
  constructor(private readonly resolver: ProviderResolver) {}

  async forProgram(tenantId: string, programId: string | null): Promise<Result<ResolvedProcessor>> {
    const r = await this.resolver.resolve(tenantId, 'payment_processor', programId);
    if (r.source === 'none' || !r.isActive) return err(noProcessor());
    return ok(r);
  }

  /** A config the request names: unknown, inactive or another tenant's is a 422 naming `field`. */
  async named(tenantId: string, configId: string, field: string): Promise<Result<ResolvedProcessor>> {
    const r = isUuid(configId)
      ? await this.resolver.byId('payment_processor', configId, tenantId)
      : undefined;
    if (!r || !r.isActive)
      return err(
        invalidField(field, 'no active payment processor config with this id', 'unknown_provider_config'),
      );
    return ok(r);
  }

  /** The config a record stored. Deleted since: a configuration error an operator must see. */
  async of(tenantId: string, configId: string): Promise<PaymentProcessor> {
    const r = await this.resolver.byId('payment_processor', configId, tenantId);
    if (!r)
      throw new ConfigurationError(
        `payment processor config ${configId} no longer exists`,
        'provider_config_missing',
      );
    return r.instance;
  }
}

/**
 * A processor's failure as the API answers it. `rejected`: the processor refused the request as invalid and
 * nothing moved (422, naming `field` when the request's value was the cause). Transient failures leave the
 * outcome unknown (503: the client retries with the same Idempotency-Key, which resumes the payment).
 */
export function processorFailure(e: unknown, field?: string): Failure {
  if (!(e instanceof ProviderError)) throw e;
  const vendor = { processor_code: e.details.vendorCode ?? null };
  switch (e.kind) {
    case 'rejected':
      return failure(
        'unprocessable',
        'processor_rejected',
        `the processor refused the request (${e.details.vendorCode ?? 'no code'})`,
        {
          ...(field && { fields: [{ path: field, message: 'refused by the payment processor' }] }),
          extra: vendor,
        },
      );
    case 'rate_limited':
    case 'unavailable':
    case 'invalid_response':
      return failure(
        'unavailable',
        'processor_unavailable',
        'the payment processor did not answer; the outcome is not known yet: retry with the same Idempotency-Key, or read the payment later',
        {
          extra: vendor,
        },
      );
    default:
      return failure(
        'unavailable',
        'processor_misconfigured',
        `the payment processor refused Plinth's credentials or configuration (${e.kind})`,
        {
          extra: vendor,
        },
      );
  }
}
