import { randomBytes, randomUUID } from 'node:crypto';
import { toAlpha2, toAlpha3 } from '../../../src/kernel/countries.js';

/**
 * What the card-platform simulators share. They act as the issuing platform: they build realistic webhooks,
 * sign them the platform's way, POST them to a relay URL and judge the answer by the platform's rules.
 */

/** How to sign a request: correctly, or in one of the ways a relay must reject. */
export type SignatureMode = 'valid' | 'wrong_secret' | 'tampered' | 'stale' | 'future' | 'missing';

/** Everything a test or the CLI may want to set on an authorization; the rest gets realistic defaults. */
export interface CardAuthOptions {
  /** Minor units in `currency`. */
  amount: number;
  currency?: string;
  cardId?: string;
  mcc?: string;
  /** Alpha-2 or alpha-3; each simulator converts to its platform's format. */
  country?: string;
  merchantName?: string;
  merchantId?: string;
  acquirerId?: string;
  city?: string;
  postalCode?: string | null;
  state?: string;
  /** The terminal accepts a partial approval (Stripe: amount controllable). */
  partialAllowed?: boolean;
  signature?: SignatureMode;
  /** Unix seconds to sign with (defaults to now; `stale` subtracts an hour, `future` adds one). */
  timestamp?: number;
}

export interface Verdict {
  /** True when the answer satisfies every rule of the platform. */
  ok: boolean;
  problems: string[];
  /** The decision as the platform would read it; null for notifications or unreadable answers. */
  approved: boolean | null;
  approvedAmount: number | null;
}

export interface SendResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, the text otherwise. */
  body: unknown;
  latencyMs: number;
  verdict: Verdict;
  request: { body: string; headers: Record<string, string> };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  latencyMs: number;
}

/** POSTs a body with headers; a transport failure or timeout comes back as status 0, never as a throw. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<RawResponse> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      out[k] = v;
    });
    return { status: res.status, headers: out, text, latencyMs: performance.now() - started };
  } catch (e) {
    return { status: 0, headers: {}, text: String(e), latencyMs: performance.now() - started };
  }
}

export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A verdict for a notification: the platform only needs a 2xx, in time. */
export function acknowledgementVerdict(res: RawResponse, timeoutMs: number): Verdict {
  const problems: string[] = [];
  if (res.status < 200 || res.status > 299)
    problems.push(`expected a 2xx acknowledgement, got ${res.status}`);
  if (res.latencyMs > timeoutMs)
    problems.push(`answered in ${Math.round(res.latencyMs)} ms (> ${timeoutMs} ms)`);
  return { ok: problems.length === 0, problems, approved: null, approvedAmount: null };
}

export function toResult(res: RawResponse, verdict: Verdict, request: SendResult['request']): SendResult {
  return {
    status: res.status,
    headers: res.headers,
    body: readJson(res.text),
    latencyMs: res.latencyMs,
    verdict,
    request,
  };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The timestamp a signature mode calls for. */
export const signingTime = (mode: SignatureMode, timestamp?: number): number =>
  (timestamp ?? nowSeconds()) + (mode === 'stale' ? -3600 : mode === 'future' ? 3600 : 0);

/** Flips one character of the body after signing, so the signature no longer matches. */
export function tamper(body: string): string {
  const i = body.lastIndexOf('1');
  return i >= 0 ? `${body.slice(0, i)}2${body.slice(i + 1)}` : `${body} `;
}

export const randomAlnum = (n: number): string => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(n), (b) => chars[b % chars.length]).join('');
};

export { randomUUID };

export const alpha2 = (country: string): string =>
  country.length === 2 ? country : (toAlpha2(country) ?? country);
export const alpha3 = (country: string): string =>
  country.length === 3 ? country : (toAlpha3(country) ?? country);

/** Bodies a relay must survive (declining or rejecting, never crashing). */
export const GARBAGE_BODIES: Readonly<Record<string, string>> = {
  empty: '',
  not_json: 'amount=100&card=ic_1',
  truncated_json: '{"id": "evt_1", "type": "issuing_authorization.re',
  json_array: '[1, 2, 3]',
  json_null: 'null',
  json_string: '"hello"',
  empty_object: '{}',
  deeply_wrong_types: '{"id": 5, "type": ["x"], "data": "nope", "amount": "ten dollars"}',
};
