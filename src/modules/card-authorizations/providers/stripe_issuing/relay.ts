import Stripe from 'stripe';
import {
  awaitsDecision,
  type Decision,
  effectiveDecision,
  fallbackDecision,
  type ParseResult,
} from '../../domain/messages.js';
import {
  acknowledgement,
  headerValue,
  JSON_HEADERS,
  type RelayAdapter,
  type RelayResponse,
} from '../../domain/relay.js';
import { isFresh, SIGNATURE_TOLERANCE_SECONDS, signedAt } from '../../domain/signature.js';
import { readWire } from '../../domain/wire.js';
import { parseStripeEvent, STRIPE_PROVIDER } from './mappers.js';
import type { StripeAuthorizationAnswer } from './wire.js';

/** Stripe waits 2 seconds for the answer, then applies the card's webhook-timeout setting. */
export const STRIPE_TIMEOUT_MS = 2000;

const API_VERSION_RE = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

/**
 * Stripe requires a `Stripe-Version` header on the answer, and the body must match that version. We answer in
 * the version the event was rendered in; the SDK's pinned version when the payload did not say.
 */
function stripeVersion(parsed: ParseResult): string {
  const v = parsed.ok ? parsed.message.extras.apiVersion : parsed.partialIds.wireVersion;
  return typeof v === 'string' && API_VERSION_RE.test(v) ? v : Stripe.API_VERSION;
}

function respond(decision: Decision, parsed: ParseResult): RelayResponse {
  if (!awaitsDecision(parsed)) return acknowledgement();
  const d = effectiveDecision(decision, parsed);
  const body: StripeAuthorizationAnswer = {
    approved: d.approved,
    metadata: { plinth_reason: d.reasonCode },
  };
  // A partial approval is only expressible when Stripe marked the amount controllable (isPartialAllowed).
  if (d.approved && d.approvedAmount !== undefined) body.amount = d.approvedAmount;
  return { status: 200, headers: { ...JSON_HEADERS, 'Stripe-Version': stripeVersion(parsed) }, body };
}

/** Relay adapter for Stripe Issuing real-time authorizations and Issuing lifecycle webhooks. */
export const stripeIssuingRelay: RelayAdapter = {
  provider: STRIPE_PROVIDER,
  platformTimeoutMs: STRIPE_TIMEOUT_MS,

  verify(rawBody, headers, secret, now) {
    const signature = headerValue(headers, 'stripe-signature');
    if (!signature || !secret) return false;
    // The SDK refuses old timestamps only; the rule every relay shares refuses future ones too.
    const t = signedAt(signature);
    if (t === undefined || !isFresh(t, now)) return false;
    // The SDK's static helper: no client, no global configuration, the tenant's secret passed in. It checks the
    // signature and age only (constructEvent would also JSON-parse, turning a signed but malformed body into a
    // signature failure; parse() declines those instead, so Stripe gets an answer).
    const checker = Stripe.webhooks.signature;
    if (!checker) return false;
    try {
      return checker.verifyHeader(
        rawBody,
        signature,
        secret,
        SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        now.getTime(),
      );
    } catch {
      return false;
    }
  },

  parse: (rawBody) => readWire(rawBody, parseStripeEvent),

  respond,

  fallbackResponse: (config, parsed) => respond(fallbackDecision(config.fallback, parsed), parsed),
};
