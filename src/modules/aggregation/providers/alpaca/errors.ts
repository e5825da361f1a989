import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderErrorKind } from '../../../../kernel/errors.js';
import type { ErrorContext } from '../../../../kernel/http-client.js';

/**
 * Alpaca's error codes: bodies are `{"code": 40110000, "message": "..."}`, the first three digits being the
 * HTTP status. Codes the status already implies (40010000 malformed, 40410000 not found, 42210000 invalid) map
 * through the base client's status mapping. Messages are never read.
 */
export const ALPACA_PROVIDER = 'alpaca';

export function alpacaErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  return typeof code === 'string' && code ? code : undefined;
}

const KINDS: Record<string, ProviderErrorKind> = {
  40110000: 'authentication',
  // The key is known but may not do this: blocked account, or a paper key sent to the live host.
  40310000: 'authentication',
  42910000: 'rate_limited',
  50010000: 'unavailable',
};

export function classifyAlpacaError({ vendorCode }: ErrorContext): ProviderErrorKind | undefined {
  return vendorCode === undefined ? undefined : KINDS[vendorCode];
}

/** Alpaca says when the rate-limit window reopens in `X-RateLimit-Reset` (Unix seconds), not in Retry-After. */
export function alpacaRetryAfter(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const raw = headers['x-ratelimit-reset'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Math.ceil(Number(value) - nowMs / 1000));
}
