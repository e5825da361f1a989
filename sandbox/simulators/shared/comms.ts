import { post, readJson, type SignatureMode, tamper } from './card-client.js';
import type { SimServer } from './server.js';

/**
 * What the messaging simulators (SendGrid, Twilio, Lob) share: the fault knobs every vendor API needs in tests
 * (429 with Retry-After, 5xx, slow answers, requests that never answer) and the outbound side, status webhooks
 * POSTed to the tenant's URL and kept in a log for assertions.
 */

export type { SignatureMode };

export interface FaultTarget {
  /** Only requests to this path (string: exact, regex: match); default every request. */
  path?: string | RegExp;
  /** How many matching requests (default 1). */
  times?: number;
}

export interface FaultControls {
  /** The next `times` matching requests get 429 with `Retry-After: retryAfter` (seconds, default 1). */
  rateLimit(opts?: FaultTarget & { retryAfter?: number; headers?: Record<string, string> }): void;
  /** The next `times` matching requests fail with `status` (default 500) and the vendor's error body. */
  failWith(opts?: FaultTarget & { status?: number }): void;
  /** The next `times` matching requests are answered normally, `delayMs` late. */
  slow(opts: FaultTarget & { delayMs: number }): void;
  /** The next `times` matching requests are never answered: the client's own timeout fires. */
  hang(opts?: FaultTarget): void;
}

/** Fault knobs speaking the vendor's error format: `errorBody(status)` is what the vendor returns for it. */
export function faultControls(server: SimServer, errorBody: (status: number) => unknown): FaultControls {
  return {
    rateLimit: ({ path, times = 1, retryAfter = 1, headers = {} } = {}) =>
      server.inject({
        path,
        times,
        status: 429,
        headers: { 'retry-after': String(retryAfter), ...headers },
        body: errorBody(429),
      }),
    failWith: ({ path, times = 1, status = 500 } = {}) =>
      server.inject({ path, times, status, body: errorBody(status) }),
    slow: ({ path, times = 1, delayMs }) => server.inject({ path, times, delayMs }),
    hang: ({ path, times = 1 } = {}) => server.inject({ path, times, hang: true }),
  };
}

/** One POST of a status webhook, as sent and as answered. */
export interface WebhookDelivery {
  url: string;
  /** The body exactly as sent (after tampering, when asked for). */
  body: string;
  headers: Record<string, string>;
  /** 0 when the receiver could not be reached or did not answer in time. */
  status: number;
  response: unknown;
  latencyMs: number;
}

export interface DeliverOptions {
  signature?: SignatureMode;
  /** Abort the POST after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * Signs and POSTs one webhook body. `sign(body, mode)` returns the vendor's signature headers for the body (with a
 * wrong key, an old timestamp... when the mode asks for it); `missing` drops them, `tampered` changes the body
 * after signing. The delivery is appended to `log`; a failed POST is recorded with status 0, never thrown.
 */
export async function deliverWebhook(
  log: WebhookDelivery[],
  url: string,
  payload: string,
  opts: {
    contentType: string;
    sign: (body: string, mode: SignatureMode) => Record<string, string>;
    extraHeaders?: Record<string, string>;
  } & DeliverOptions,
): Promise<WebhookDelivery> {
  const mode = opts.signature ?? 'valid';
  const signed = mode === 'missing' ? {} : opts.sign(payload, mode);
  const body = mode === 'tampered' ? tamper(payload) : payload;
  const headers = { 'content-type': opts.contentType, ...opts.extraHeaders, ...signed };
  const res = await post(url, body, headers, opts.timeoutMs ?? 10_000);
  const delivery: WebhookDelivery = {
    url,
    body,
    headers,
    status: res.status,
    response: readJson(res.text),
    latencyMs: res.latencyMs,
  };
  log.push(delivery);
  return delivery;
}

/** Runs `fn` after `delayMs` without holding the event loop open; errors are the caller's to record. */
export function later(delayMs: number, fn: () => Promise<unknown>): void {
  setTimeout(() => void fn().catch(() => undefined), delayMs).unref();
}
