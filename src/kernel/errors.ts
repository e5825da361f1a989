/**
 * Infrastructure and provider failures are typed errors. Providers map vendor error codes (never message text)
 * onto these in their own errors.ts, so callers can decide to retry, refresh credentials or give up.
 */
export type ProviderErrorKind =
  | 'authentication'
  | 'rate_limited'
  | 'unavailable'
  | 'invalid_response'
  | 'configuration'
  | 'rejected';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: {
      provider?: string;
      vendorCode?: string;
      status?: number;
      /** Seconds, from Retry-After, when rate limited. */
      retryAfter?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderError';
  }

  get transient(): boolean {
    return this.kind === 'unavailable' || this.kind === 'rate_limited';
  }
}

/**
 * A deployment is misconfigured (bad env var, undecryptable credentials). The message names what to fix and
 * never contains secret material.
 */
export class ConfigurationError extends Error {
  constructor(
    message: string,
    readonly code = 'configuration_error',
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
