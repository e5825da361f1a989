import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from './errors.js';
import { isNonPublicHost, publicOnlyLookup } from './network.js';

/**
 * The base every provider's API client is built on. It owns what must be the same for every vendor: one
 * keep-alive connection pool per base URL, timeouts, bounded retries, and the mapping of HTTP outcomes onto
 * typed `ProviderError`s. A provider adds only what is vendor-specific, through hooks: how to read its error
 * code from a body, how its codes map onto error kinds, and (optionally) where it says how long to back off.
 *
 * Error messages carry the provider, method, path, status and vendor code, never headers or bodies: request
 * headers hold credentials, and vendor error texts sometimes echo token material.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HttpBody =
  | { json: unknown }
  | { form: Record<string, string> }
  | { raw: string | Uint8Array; contentType: string };

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to the base URL's path, e.g. `/trader/v1/accounts/{hash}`. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: HttpBody;
  /**
   * Whether a transient failure may be retried. Defaults to true for GET, HEAD, PUT and DELETE. A POST (a token
   * exchange, a payment) is retried only when the caller knows it is safe to repeat.
   */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parses the body as JSON, validated by `schema` when given. Either failure is an `invalid_response`. */
  json<T = unknown>(schema?: z.ZodType<T>): T;
}

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** First backoff step; doubled on each retry, with jitter. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /**
   * The longest Retry-After the client waits out itself. A vendor asking for longer gets no retry from here: the
   * error (with `retryAfter`) goes back to the caller, which can reschedule the work instead of holding a worker.
   */
  maxRetryAfterMs: number;
}

export interface ErrorContext {
  status: number;
  vendorCode: string | undefined;
}

/** The knobs a provider passes through from its own options (tests inject `sleep`, `now` and `random`). */
export interface HttpTuning {
  timeoutMs?: number;
  /**
   * Connect only to public internet addresses (production: a tenant may name a provider's endpoint, and it must
   * not reach the server's own network). Checked on the resolved address of every connection.
   */
  publicAddressesOnly?: boolean;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface HttpClientOptions extends HttpTuning {
  /** Scheme, host and an optional path prefix, e.g. `https://api.schwabapi.com`. */
  baseUrl: string;
  /** Provider key, for error messages and `ProviderError.details.provider`. */
  provider: string;
  defaultHeaders?: Record<string, string>;
  /** Extracts the vendor's error code from a parsed error body. */
  errorCode?: (body: unknown) => string | undefined;
  /** Maps a vendor code (and status) to an error kind; `undefined` falls back to the status-based mapping. */
  classify?: (ctx: ErrorContext) => ProviderErrorKind | undefined;
  /** Seconds a 429 asks to wait, when the vendor says so somewhere other than `Retry-After`. */
  retryAfter?: (headers: IncomingHttpHeaders, nowMs: number) => number | undefined;
  /** Connections kept to the origin (default 10). */
  connections?: number;
}

export interface HttpClient {
  readonly baseUrl: string;
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};
const DEFAULT_TIMEOUT_MS = 30_000;
const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After` as whole seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // HTTP-dates name their month; without this, Date.parse would read "-5" as the year -5.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function statusKind(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'authentication';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'unavailable';
  // A redirect from an API is unexpected; following it would send credentials elsewhere.
  if (status >= 300 && status < 400) return 'invalid_response';
  return 'rejected';
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function encodeBody(body: HttpBody | undefined): { payload?: string | Uint8Array; contentType?: string } {
  if (!body) return {};
  if ('json' in body) return { payload: JSON.stringify(body.json), contentType: 'application/json' };
  if ('form' in body)
    return {
      payload: new URLSearchParams(body.form).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  return { payload: body.raw, contentType: body.contentType };
}

function networkErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const name = (e as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const base = new URL(opts.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, {
    connections: opts.connections ?? 10,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    ...(opts.publicAddressesOnly && { connect: { lookup: publicOnlyLookup } }),
  });
  // An IP literal or `localhost` is never looked up: refused here instead.
  const refusedHost = opts.publicAddressesOnly && isNonPublicHost(base.hostname) ? base.hostname : undefined;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const provider = opts.provider;

  const describe = (req: HttpRequest) => `${provider} ${req.method} ${req.path}`;

  function httpError(req: HttpRequest, status: number, headers: IncomingHttpHeaders, text: string) {
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const vendorCode = body === undefined ? undefined : opts.errorCode?.(body);
    const kind = opts.classify?.({ status, vendorCode }) ?? statusKind(status);
    // Retry-After means something on 429 and 503 only; a vendor's own rate-limit headers only on 429 (Alpaca
    // sends its reset time on every response, and a 500 must not wait for it).
    const retryAfter =
      status === 429 || status === 503
        ? (parseRetryAfter(headerValue(headers, 'retry-after'), now()) ??
          (status === 429 ? opts.retryAfter?.(headers, now()) : undefined))
        : undefined;
    return new ProviderError(
      kind,
      `${describe(req)}: HTTP ${status}${vendorCode ? ` (${vendorCode})` : ''}`,
      { provider, status, vendorCode, retryAfter },
    );
  }

  function transportError(req: HttpRequest, e: unknown): ProviderError {
    const code = networkErrorCode(e);
    if (code === 'ENONPUBLIC')
      return new ProviderError('configuration', `${describe(req)}: ${(e as Error).message}`, {
        provider,
        cause: e,
      });
    // Undici rejects a malformed request (a bad header value, say) before sending it: our bug, not an outage.
    if (code === 'UND_ERR_INVALID_ARG')
      return new ProviderError('configuration', `${describe(req)}: invalid request (${code})`, {
        provider,
        cause: e,
      });
    const timedOut =
      code === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    const what = timedOut ? `timed out after ${timeoutMs} ms` : `connection failed (${code ?? 'unknown'})`;
    return new ProviderError('unavailable', `${describe(req)}: ${what}`, { provider, cause: e });
  }

  function response(req: HttpRequest, status: number, headers: IncomingHttpHeaders, text: string) {
    return {
      status,
      headers,
      text,
      json<T = unknown>(schema?: z.ZodType<T>): T {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ProviderError('invalid_response', `${describe(req)}: body is not JSON`, {
            provider,
            status,
          });
        }
        if (!schema) return parsed as T;
        const result = schema.safeParse(parsed);
        if (result.success) return result.data;
        const issue = result.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : '(root)';
        throw new ProviderError(
          'invalid_response',
          `${describe(req)}: unexpected body at ${where}: ${issue?.message ?? 'invalid'}`,
          { provider, status },
        );
      },
    };
  }

  async function send(req: HttpRequest): Promise<HttpResponse | ProviderError> {
    if (refusedHost)
      return new ProviderError('configuration', `${describe(req)}: ${refusedHost} is not a public address`, {
        provider,
      });
    const { payload, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.defaultHeaders };
    if (contentType) headers['content-type'] = contentType;
    Object.assign(headers, req.headers);
    try {
      const res = await pool.request({
        method: req.method,
        path: `${basePath}${req.path}${buildQuery(req.query)}`,
        headers,
        body: payload ?? null,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Always drain the body: an unread body holds the connection.
      const text = await res.body.text();
      const resHeaders = res.headers as IncomingHttpHeaders;
      if (res.statusCode >= 200 && res.statusCode < 300)
        return response(req, res.statusCode, resHeaders, text);
      return httpError(req, res.statusCode, resHeaders, text);
    } catch (e) {
      return transportError(req, e);
    }
  }

  function backoff(attempt: number): number {
    const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    // "Equal jitter": never less than half a step, so retries from many workers spread out but still back off.
    return Math.round(step / 2 + (random() * step) / 2);
  }

  /** How long to wait before the next attempt, or undefined when the error should go to the caller. */
  function retryDelay(req: HttpRequest, error: ProviderError, attempt: number): number | undefined {
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
    if (!idempotent || !error.transient || attempt >= retry.maxAttempts) return undefined;
    const asked = error.details.retryAfter;
    if (asked === undefined) return backoff(attempt);
    const ms = asked * 1000;
    return ms > retry.maxRetryAfterMs ? undefined : ms;
  }

  return {
    baseUrl: opts.baseUrl,
    async request(req) {
      for (let attempt = 1; ; attempt++) {
        const outcome = await send(req);
        if (!(outcome instanceof ProviderError)) return outcome;
        const delay = retryDelay(req, outcome, attempt);
        if (delay === undefined) throw outcome;
        await sleep(delay);
      }
    },
    close: () => pool.close(),
  };
}
