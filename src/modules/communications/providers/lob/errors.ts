import { ProviderError } from '../../../../kernel/errors.js';

interface AxiosLikeError {
  code?: string;
  response?: {
    status: number;
    headers?: Record<string, string>;
    data?: { error?: { code?: string; message?: string } };
  };
}

/** Lob's errors `{error: {code, message, status_code}}` by code and status; no response means the network failed. */
export function lobError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const r = (e as AxiosLikeError).response;
  if (!r)
    return new ProviderError('unavailable', `Lob unreachable: ${(e as Error).message}`, {
      provider: 'lob',
      vendorCode: (e as AxiosLikeError).code,
      cause: e,
    });
  const code = r.data?.error?.code;
  const message = r.data?.error?.message ?? `Lob answered ${r.status}`;
  const details = { provider: 'lob', status: r.status, vendorCode: code, cause: e };
  if (r.status === 401 || r.status === 403) return new ProviderError('authentication', message, details);
  if (r.status === 429) {
    const retry = Number(r.headers?.['retry-after']);
    return new ProviderError('rate_limited', message, {
      ...details,
      retryAfter: Number.isFinite(retry) ? retry : 5,
    });
  }
  if (r.status >= 500) return new ProviderError('unavailable', message, details);
  // 422 invalid, failed_deliverability_strictness, invalid_file...: the letter as sent cannot be mailed.
  if (r.status === 422 || r.status === 400 || r.status === 413)
    return new ProviderError('rejected', message, details);
  return new ProviderError('invalid_response', message, details);
}
