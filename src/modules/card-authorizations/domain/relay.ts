import { z } from 'zod';
import type { Decision, ParseResult } from './messages.js';

/**
 * The shape every card-issuing relay adapter has. The HTTP route (later) does, per request:
 *   verify → (reject with 401 before recording anything) → parse → record → decide within the deadline
 *   → respond, or fallbackResponse when the deadline passes.
 * Adapters are pure: no I/O, no clock except the `now` they are given.
 */
export type RelayHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface RelayResponse {
  status: number;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body: unknown;
}

export interface RelayFallbackConfig {
  fallback: 'approve' | 'decline';
}

export interface RelayAdapter {
  /** The provider key (`stripe_issuing`, `lithic`, `generic`). */
  readonly provider: string;
  /** How long the platform itself waits for an answer; the configured deadline must stay below it. */
  readonly platformTimeoutMs: number;
  /** True only if the request carries a valid, fresh signature made with `secret`. Never throws. */
  verify(rawBody: Buffer, headers: RelayHeaders, secret: string, now: Date): boolean;
  /** Reads the (already verified) body into a normalized message, or a decline reason. Never throws. */
  parse(rawBody: Buffer, headers: RelayHeaders): ParseResult;
  /** Renders a decision (or a plain acknowledgement for notifications) in the platform's format. */
  respond(decision: Decision, parsed: ParseResult): RelayResponse;
  /** The answer to give when the decision engine missed the deadline. */
  fallbackResponse(config: RelayFallbackConfig, parsed: ParseResult): RelayResponse;
}

/**
 * Days after which Plinth releases a hold the platform never cleared, reversed or expired. A backstop for lost
 * messages: platforms report their own expiries (most after 7 days, some merchant categories hold up to 30), so
 * the default sits above the longest hold and never frees credits a merchant can still capture.
 */
export const holdExpiryDaysField = z.number().int().min(1).max(45).default(31);

/** A `card_issuing` provider instance: the adapter plus one tenant's settings for it. */
export interface CardRelay {
  adapter: RelayAdapter;
  /** Secrets a request may be signed with (Lithic: the ASA secret and the events secret). */
  secrets: readonly string[];
  deadlineMs: number;
  fallback: 'approve' | 'decline';
  holdExpiryDays: number;
  /**
   * `platform`: the platform's authorization ids are unique across all its accounts (Stripe, Lithic), so a
   * lifecycle survives a change of config; `config`: unique only within one integration (generic platforms).
   */
  idScope: 'platform' | 'config';
}

/** Case-insensitive header lookup; the first value when a header is repeated. */
export function headerValue(headers: RelayHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // Node's HTTP server gives lower-case names: a direct hit spares a scan of every header on each request.
  const direct = headers[wanted];
  if (direct !== undefined) return Array.isArray(direct) ? direct[0] : direct;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Parses JSON without throwing; undefined for anything that is not a JSON object. */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** The plain 200 a platform needs for a notification (anything else makes it redeliver). */
export const acknowledgement = (): RelayResponse => ({
  status: 200,
  headers: { ...JSON_HEADERS },
  body: { received: true },
});
