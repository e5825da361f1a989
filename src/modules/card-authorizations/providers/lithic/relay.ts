import {
  type Decision,
  type DecisionReason,
  effectiveDecision,
  fallbackDecision,
  type ParseResult,
} from '../../domain/messages.js';
import { acknowledgement, JSON_HEADERS, type RelayAdapter, type RelayResponse } from '../../domain/relay.js';
import { readWire } from '../../domain/wire.js';
import { LITHIC_PROVIDER, parseLithicPayload } from './mappers.js';
import { verifyStandardWebhook } from './signature.js';
import type { AsaAnswer, AsaResult } from './wire.js';

/**
 * Lithic does not state its ASA timeout in the sources we found; 2 s is the conservative bound the simulator
 * enforces and the config keeps the deadline under.
 */
export const LITHIC_ASA_TIMEOUT_MS = 2000;

/**
 * Our reasons in Lithic's vocabulary. Lithic has no generic "do not honour" ASA result; requests we cannot
 * process are answered UNAUTHORIZED_MERCHANT (still a decline, and one merchants treat as final).
 */
const RESULT_FOR: Record<DecisionReason, AsaResult> = {
  approved: 'APPROVED',
  insufficient_credits: 'INSUFFICIENT_FUNDS',
  over_reversal: 'INSUFFICIENT_FUNDS',
  card_inactive: 'CARD_PAUSED',
  unknown_card: 'CARD_PAUSED',
  no_category: 'UNAUTHORIZED_MERCHANT',
  no_line_of_credit: 'UNAUTHORIZED_MERCHANT',
  category_terminated: 'UNAUTHORIZED_MERCHANT',
  invalid_merchant: 'UNAUTHORIZED_MERCHANT',
  invalid_characters: 'UNAUTHORIZED_MERCHANT',
  invalid_request: 'UNAUTHORIZED_MERCHANT',
  invalid_amount: 'UNAUTHORIZED_MERCHANT',
  invalid_currency: 'UNAUTHORIZED_MERCHANT',
  currency_mismatch: 'UNAUTHORIZED_MERCHANT',
  resolver_not_configured: 'UNAUTHORIZED_MERCHANT',
  resolver_failed: 'UNAUTHORIZED_MERCHANT',
  relay_disabled: 'CARD_PAUSED',
  timeout_fallback: 'UNAUTHORIZED_MERCHANT',
  unsupported_message: 'UNAUTHORIZED_MERCHANT',
};

function respond(decision: Decision, parsed: ParseResult): RelayResponse {
  const asaChannel = parsed.ok ? parsed.message.extras.channel === 'asa' : parsed.requiresDecision;
  if (!asaChannel) return acknowledgement();
  const token = parsed.ok ? parsed.message.externalId : parsed.partialIds.externalId;
  // An advice on the ASA channel only needs its receipt approved.
  const d =
    parsed.ok && !parsed.message.requiresDecision
      ? { approved: true, reasonCode: 'approved' as const }
      : effectiveDecision(decision, parsed);
  const body: AsaAnswer = { result: d.approved ? 'APPROVED' : RESULT_FOR[d.reasonCode] };
  if (token) body.token = token;
  if (d.approved && d.approvedAmount !== undefined) body.approved_amount = d.approvedAmount;
  return { status: 200, headers: { ...JSON_HEADERS }, body };
}

/** Relay adapter for Lithic Auth Stream Access and Lithic card transaction events. */
export const lithicRelay: RelayAdapter = {
  provider: LITHIC_PROVIDER,
  platformTimeoutMs: LITHIC_ASA_TIMEOUT_MS,
  verify: (rawBody, headers, secret, now) => verifyStandardWebhook(rawBody, headers, secret, now),
  parse: (rawBody, headers) => readWire(rawBody, (json) => parseLithicPayload(json, headers)),
  respond,
  fallbackResponse: (config, parsed) => respond(fallbackDecision(config.fallback, parsed), parsed),
};
