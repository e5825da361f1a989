import {
  awaitsDecision,
  type Decision,
  effectiveDecision,
  fallbackDecision,
  type ParseResult,
} from '../../domain/messages.js';
import { acknowledgement, JSON_HEADERS, type RelayAdapter, type RelayResponse } from '../../domain/relay.js';
import { readWire } from '../../domain/wire.js';
import { GENERIC_PROVIDER, parseGenericPayload } from './mappers.js';
import { verifyPlinthSignature } from './signature.js';
import type { GenericDecisionAnswer } from './wire.js';

/** What the contract promises platforms: an answer within 2 seconds. */
export const GENERIC_TIMEOUT_MS = 2000;

function respond(decision: Decision, parsed: ParseResult): RelayResponse {
  if (!awaitsDecision(parsed)) return acknowledgement();
  const d = effectiveDecision(decision, parsed);
  const requested = parsed.ok ? parsed.message.amount : 0;
  const body: GenericDecisionAnswer = {
    decision: d.approved ? 'approved' : 'declined',
    reason: d.reasonCode,
    approved_amount: d.approved ? (d.approvedAmount ?? requested) : 0,
    authorization_id: parsed.ok ? parsed.message.externalId : parsed.partialIds.externalId,
  };
  return { status: 200, headers: { ...JSON_HEADERS }, body };
}

/** Relay adapter for Plinth's generic card-authorization contract. */
export const genericRelay: RelayAdapter = {
  provider: GENERIC_PROVIDER,
  platformTimeoutMs: GENERIC_TIMEOUT_MS,
  verify: (rawBody, headers, secret, now) => verifyPlinthSignature(rawBody, headers, secret, now),
  parse: (rawBody) => readWire(rawBody, parseGenericPayload),
  respond,
  fallbackResponse: (config, parsed) => respond(fallbackDecision(config.fallback, parsed), parsed),
};
