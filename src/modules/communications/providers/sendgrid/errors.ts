import { ProviderError } from '../../../../kernel/errors.js';

interface SendGridResponseError {
  code?: number | string;
  response?: {
    headers?: Record<string, string>;
    body?: { errors?: { message?: string; field?: string | null }[] };
  };
}

/**
 * SendGrid's v3 errors by HTTP status (its only code): 400 and 413 are the message's fault (rejected, with the
 * fields it names), 401/403 the key's, 429 and 5xx transient. Node's network errors (no status) are transient.
 */
export function sendGridError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const r = e as SendGridResponseError;
  const status = typeof r.code === 'number' ? r.code : undefined;
  const fields = (r.response?.body?.errors ?? [])
    .map((x) => (x.field ? `${x.field}: ${x.message}` : x.message))
    .filter(Boolean)
    .join('; ');
  const details = { provider: 'sendgrid', status, vendorCode: status ? String(status) : undefined, cause: e };
  if (status === undefined)
    return new ProviderError('unavailable', `SendGrid unreachable: ${(e as Error).message}`, {
      ...details,
      vendorCode: typeof r.code === 'string' ? r.code : undefined,
    });
  if (status === 400 || status === 413)
    return new ProviderError('rejected', fields || `SendGrid rejected the message (${status})`, details);
  if (status === 401 || status === 403)
    return new ProviderError('authentication', 'SendGrid refused the API key', details);
  if (status === 429) {
    const retry = Number(r.response?.headers?.['retry-after']);
    return new ProviderError('rate_limited', 'SendGrid rate limit', {
      ...details,
      retryAfter: Number.isFinite(retry) ? retry : undefined,
    });
  }
  if (status >= 500) return new ProviderError('unavailable', `SendGrid answered ${status}`, details);
  return new ProviderError('invalid_response', `SendGrid answered ${status}`, details);
}
