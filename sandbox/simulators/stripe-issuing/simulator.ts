import Stripe from 'stripe';
import {
  acknowledgementVerdict,
  type CardAuthOptions,
  post,
  randomAlnum,
  type SendResult,
  type SignatureMode,
  signingTime,
  tamper,
  toResult,
} from '../shared/card-client.js';
import {
  authorizationObject,
  eventEnvelope,
  merchantData,
  newAuthorization,
  type StripeSimAuthorization,
  stripeId,
  transactionObject,
} from './objects.js';
import { judgeStripeAnswer, STRIPE_TIMEOUT_MS } from './validate.js';

/**
 * Plays Stripe Issuing against a relay URL: real-time authorization requests (`issuing_authorization.request`)
 * and the lifecycle webhooks that follow, each signed with Stripe's scheme through the official SDK's test
 * header helper. The simulator keeps each authorization's state (held amount, request history) the way Stripe
 * does, so incremental requests, reversals and captures carry consistent payloads.
 */
export interface StripeIssuingSimulatorOptions {
  targetUrl: string;
  secret: string;
  /** API version written into events (defaults to the SDK's pinned version). */
  apiVersion?: string;
}

export interface StripeAuthorizeResult extends SendResult {
  authorization: StripeSimAuthorization;
}

interface SendOpts {
  signature?: SignatureMode;
  timestamp?: number;
}

/** A fresh endpoint signing secret in the format Stripe's Dashboard shows: `whsec_` and 32 letters and digits. */
export const newStripeSecret = (): string => `whsec_${randomAlnum(32)}`;

export class StripeIssuingSimulator {
  constructor(private readonly opts: StripeIssuingSimulatorOptions) {}

  /** Signs and POSTs a raw body the way Stripe would (or wouldn't, per `signature`). */
  async sendRaw(
    payload: string,
    send: SendOpts = {},
  ): Promise<{ res: Awaited<ReturnType<typeof post>>; request: SendResult['request'] }> {
    const mode = send.signature ?? 'valid';
    const secret = mode === 'wrong_secret' ? `${this.opts.secret}_wrong` : this.opts.secret;
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: signingTime(mode, send.timestamp),
    });
    const body = mode === 'tampered' ? tamper(payload) : payload;
    const headers: Record<string, string> = mode === 'missing' ? {} : { 'stripe-signature': header };
    headers['user-agent'] = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';
    const res = await post(this.opts.targetUrl, body, headers, STRIPE_TIMEOUT_MS + 1000);
    return { res, request: { body, headers } };
  }

  private async sendEvent(event: Record<string, unknown>, send: SendOpts): Promise<SendResult> {
    const { res, request } = await this.sendRaw(JSON.stringify(event), send);
    return toResult(res, acknowledgementVerdict(res, STRIPE_TIMEOUT_MS), request);
  }

  private async request(
    a: StripeSimAuthorization,
    amount: number,
    send: SendOpts,
  ): Promise<StripeAuthorizeResult> {
    const event = eventEnvelope('issuing_authorization.request', authorizationObject(a, amount), {
      apiVersion: this.opts.apiVersion,
    });
    const { res, request } = await this.sendRaw(JSON.stringify(event), send);
    const verdict = judgeStripeAnswer(res, { requestedAmount: amount, amountControllable: a.partialAllowed });
    // Stripe records the outcome; without a usable answer it applies the card's timeout setting (assumed decline).
    const approved = verdict.ok && verdict.approved === true;
    const held = approved ? (verdict.approvedAmount ?? amount) : 0;
    a.requestHistory.push({
      amount,
      amount_details: null,
      approved,
      authorization_code: approved ? '123456' : null,
      created: Math.floor(Date.now() / 1000),
      currency: a.currency,
      merchant_amount: amount,
      merchant_currency: a.currency,
      network_risk_score: 12,
      reason: !verdict.ok ? 'webhook_error' : approved ? 'webhook_approved' : 'webhook_declined',
      reason_message: null,
      requested_at: Math.floor(Date.now() / 1000),
    });
    a.amount += held;
    a.approved = a.approved || approved;
    if (!a.approved) a.status = 'closed';
    return { ...toResult(res, verdict, request), authorization: a };
  }

  /** A new real-time authorization request. */
  authorize(o: CardAuthOptions): Promise<StripeAuthorizeResult> {
    return this.request(newAuthorization(o), o.amount, o);
  }

  /** An incremental request on an approved authorization (`pending_request.amount` is the increment). */
  increment(a: StripeSimAuthorization, amount: number, send: SendOpts = {}): Promise<StripeAuthorizeResult> {
    return this.request(a, amount, send);
  }

  /** `issuing_authorization.created`: Stripe's record of the decision, sent to the regular endpoint. */
  advise(a: StripeSimAuthorization, send: SendOpts = {}): Promise<SendResult> {
    return this.sendEvent(eventEnvelope('issuing_authorization.created', authorizationObject(a)), send);
  }

  /** The merchant releases `amount` (default: all that is held); a full release ends in status `reversed`. */
  reverse(a: StripeSimAuthorization, amount = a.amount, send: SendOpts = {}): Promise<SendResult> {
    const previous = { amount: a.amount, status: a.status };
    a.amount -= amount;
    if (a.amount <= 0) {
      a.amount = 0;
      a.status = 'reversed';
    }
    const prev: Record<string, unknown> = { amount: previous.amount };
    if (previous.status !== a.status) prev.status = previous.status;
    return this.sendEvent(
      eventEnvelope('issuing_authorization.updated', authorizationObject(a), { previousAttributes: prev }),
      send,
    );
  }

  /** The authorization expires without capture; Stripe releases what was held. */
  expire(a: StripeSimAuthorization, send: SendOpts = {}): Promise<SendResult> {
    const prev = { amount: a.amount, status: a.status };
    a.amount = 0;
    a.status = 'expired';
    return this.sendEvent(
      eventEnvelope('issuing_authorization.updated', authorizationObject(a), { previousAttributes: prev }),
      send,
    );
  }

  /** A capture (`issuing_transaction.created`, type capture) of `amount` (default: all that is held). */
  capture(a: StripeSimAuthorization, amount = a.amount, send: SendOpts = {}): Promise<SendResult> {
    a.status = 'closed';
    const tx = transactionObject({
      type: 'capture',
      amount,
      currency: a.currency,
      cardId: a.cardId,
      authorizationId: a.id,
      merchantData: a.merchantData,
    });
    return this.sendEvent(eventEnvelope('issuing_transaction.created', tx), send);
  }

  /** A force capture: a capture with no authorization at all. */
  forceCapture(o: CardAuthOptions): Promise<SendResult> {
    const tx = transactionObject({
      type: 'capture',
      amount: o.amount,
      currency: (o.currency ?? 'usd').toLowerCase(),
      cardId: o.cardId ?? stripeId('ic'),
      authorizationId: null,
      merchantData: merchantData(o),
    });
    return this.sendEvent(eventEnvelope('issuing_transaction.created', tx), o);
  }

  /** A refund, linked to an authorization or unlinked (pass options instead). */
  refund(
    target: StripeSimAuthorization | CardAuthOptions,
    amount: number,
    send: SendOpts = {},
  ): Promise<SendResult> {
    const linked = 'requestHistory' in target;
    const tx = transactionObject({
      type: 'refund',
      amount,
      currency: linked ? target.currency : (target.currency ?? 'usd').toLowerCase(),
      cardId: linked ? target.cardId : (target.cardId ?? stripeId('ic')),
      authorizationId: linked ? target.id : null,
      merchantData: linked ? target.merchantData : merchantData(target),
    });
    return this.sendEvent(eventEnvelope('issuing_transaction.created', tx), send);
  }
}

/** One-shot convenience: a single authorization request against `targetUrl`. */
export function sendAuthorization(
  targetUrl: string,
  secret: string,
  o: CardAuthOptions,
): Promise<StripeAuthorizeResult> {
  return new StripeIssuingSimulator({ targetUrl, secret }).authorize(o);
}

/** A signed (or deliberately mis-signed) garbage body; the answer is judged as an authorization answer. */
export async function sendGarbage(
  targetUrl: string,
  secret: string,
  body: string,
  signature: SignatureMode = 'valid',
): Promise<SendResult> {
  const { res, request } = await new StripeIssuingSimulator({ targetUrl, secret }).sendRaw(body, {
    signature,
  });
  return toResult(res, judgeStripeAnswer(res, { requestedAmount: 0, amountControllable: false }), request);
}
