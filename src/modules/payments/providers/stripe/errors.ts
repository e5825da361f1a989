import Stripe from 'stripe';
import { ProviderError, type ProviderErrorKind } from '../../../../kernel/errors.js';

/**
 * Stripe's errors onto the kernel's kinds, by the SDK's error class (Stripe's `type`) and `code`, never the message.
 * Card errors are not here: they are declines (mappers.ts). Anything that left the request's fate unknown (the
 * connection failed, Stripe answered 5xx) is `unavailable`: the caller treats the outcome as unknown, and a retry
 * with the same idempotency key is answered with the first one's outcome.
 */
const BY_CODE: Record<string, ProviderErrorKind> = {
  rate_limit: 'rate_limited',
  lock_timeout: 'unavailable',
  idempotency_key_in_use: 'unavailable',
  api_key_expired: 'authentication',
  secret_key_required: 'authentication',
};

export function stripeError(e: unknown, operation: string): ProviderError {
  if (e instanceof ProviderError) return e;
  if (!(e instanceof Stripe.errors.StripeError))
    return new ProviderError('unavailable', `stripe ${operation}: ${String(e)}`, {
      provider: 'stripe',
      cause: e,
    });
  const vendorCode = e.code ?? e.type;
  const kind: ProviderErrorKind =
    (e.code ? BY_CODE[e.code] : undefined) ??
    (e instanceof Stripe.errors.StripeRateLimitError
      ? 'rate_limited'
      : e instanceof Stripe.errors.StripeAuthenticationError ||
          e instanceof Stripe.errors.StripePermissionError
        ? 'authentication'
        : e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeAPIError
          ? 'unavailable'
          : e instanceof Stripe.errors.StripeIdempotencyError
            ? 'rejected'
            : e instanceof Stripe.errors.StripeInvalidRequestError
              ? (e.statusCode ?? 400) >= 500
                ? 'unavailable'
                : 'rejected'
              : (e.statusCode ?? 0) >= 500 || e.statusCode === undefined
                ? 'unavailable'
                : 'rejected');
  const retryAfter = Number(e.headers?.['retry-after']);
  return new ProviderError(kind, `stripe ${operation}: ${e.type}${e.code ? ` (${e.code})` : ''}`, {
    provider: 'stripe',
    vendorCode,
    status: e.statusCode,
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
    cause: e,
  });
}
