import { Webhook } from 'standardwebhooks';
import {
  acknowledgementVerdict,
  type CardAuthOptions,
  post,
  type RawResponse,
  randomAlnum,
  type SendResult,
  type SignatureMode,
  signingTime,
  tamper,
  toResult,
} from '../shared/card-client.js';
import {
  asaRequest,
  type LithicSimTransaction,
  newTransaction,
  transactionEvent,
  transactionUpdated,
} from './objects.js';
import { judgeAsaAnswer, LITHIC_ASA_TIMEOUT_MS } from './validate.js';

/**
 * Plays Lithic against a relay URL: Auth Stream Access requests and `card_transaction.updated` events, signed
 * with the Standard Webhooks scheme through `standardwebhooks` (the library Lithic's own SDK verifies with).
 * Each transaction keeps its events, so increments, reversals and clearings carry a consistent history.
 */
export interface LithicSimulatorOptions {
  targetUrl: string;
  /** The ASA HMAC secret (`whsec_` + base64). */
  secret: string;
  /** The events webhook secret, when different from the ASA secret. */
  eventsSecret?: string;
}

export interface LithicAuthorizeResult extends SendResult {
  transaction: LithicSimTransaction;
}

interface SendOpts {
  signature?: SignatureMode;
  timestamp?: number;
}

/** A fresh `whsec_…` secret in the format Lithic issues. */
export const newLithicSecret = (): string => `whsec_${Buffer.from(randomAlnum(32)).toString('base64')}`;

export class LithicSimulator {
  constructor(private readonly opts: LithicSimulatorOptions) {}

  async sendRaw(
    payload: string,
    send: SendOpts & { secret?: string } = {},
  ): Promise<{ res: RawResponse; request: SendResult['request'] }> {
    const mode = send.signature ?? 'valid';
    const base = send.secret ?? this.opts.secret;
    const secret = mode === 'wrong_secret' ? newLithicSecret() : base;
    const id = `msg_${randomAlnum(27)}`;
    const seconds = signingTime(mode, send.timestamp);
    const signature = new Webhook(secret).sign(id, new Date(seconds * 1000), payload);
    const body = mode === 'tampered' ? tamper(payload) : payload;
    const headers: Record<string, string> =
      mode === 'missing'
        ? { 'webhook-id': id, 'webhook-timestamp': String(seconds) }
        : { 'webhook-id': id, 'webhook-timestamp': String(seconds), 'webhook-signature': signature };
    const res = await post(this.opts.targetUrl, body, headers, LITHIC_ASA_TIMEOUT_MS + 1000);
    return { res, request: { body, headers } };
  }

  private async asa(
    t: LithicSimTransaction,
    amount: number,
    status: string,
    send: SendOpts,
  ): Promise<LithicAuthorizeResult> {
    const { res, request } = await this.sendRaw(JSON.stringify(asaRequest(t, amount, status)), send);
    const verdict = judgeAsaAnswer(res, {
      token: t.token,
      requestedAmount: amount,
      partialAllowed: t.partialAllowed,
    });
    const approved = verdict.ok && verdict.approved === true;
    const granted = approved ? (verdict.approvedAmount ?? amount) : amount;
    const type = status === 'BALANCE_INQUIRY' ? 'BALANCE_INQUIRY' : status;
    const polarity = status.includes('CREDIT') ? 'CREDIT' : 'DEBIT';
    t.events.push(transactionEvent(type, granted, t.currency, polarity, approved ? 'APPROVED' : 'DECLINED'));
    if (approved && (status === 'AUTHORIZATION' || status === 'FINANCIAL_AUTHORIZATION')) t.held += granted;
    return { ...toResult(res, verdict, request), transaction: t };
  }

  private async event(t: LithicSimTransaction, status: string, send: SendOpts): Promise<SendResult> {
    const { res, request } = await this.sendRaw(JSON.stringify(transactionUpdated(t, status)), {
      ...send,
      secret: this.opts.eventsSecret ?? this.opts.secret,
    });
    return toResult(res, acknowledgementVerdict(res, LITHIC_ASA_TIMEOUT_MS), request);
  }

  /** An ASA request: AUTHORIZATION by default; FINANCIAL_AUTHORIZATION, CREDIT_AUTHORIZATION… on request. */
  authorize(o: CardAuthOptions & { status?: string }): Promise<LithicAuthorizeResult> {
    return this.asa(newTransaction(o), o.amount, o.status ?? 'AUTHORIZATION', o);
  }

  /** An incremental ASA request on the same transaction token. */
  increment(t: LithicSimTransaction, amount: number, send: SendOpts = {}): Promise<LithicAuthorizeResult> {
    return this.asa(t, amount, 'AUTHORIZATION', send);
  }

  /** AUTHORIZATION_REVERSAL of `amount` (default: all that is held). */
  reverse(t: LithicSimTransaction, amount = t.held, send: SendOpts = {}): Promise<SendResult> {
    t.held -= amount;
    t.events.push(transactionEvent('AUTHORIZATION_REVERSAL', amount, t.currency, 'CREDIT'));
    return this.event(t, t.held > 0 ? 'PENDING' : 'VOIDED', send);
  }

  /** AUTHORIZATION_EXPIRY: Lithic drops what is left of the hold. */
  expire(t: LithicSimTransaction, send: SendOpts = {}): Promise<SendResult> {
    t.events.push(transactionEvent('AUTHORIZATION_EXPIRY', t.held, t.currency, 'CREDIT'));
    t.held = 0;
    return this.event(t, 'EXPIRED', send);
  }

  /** CLEARING of `amount` (default: all that is held). */
  clear(t: LithicSimTransaction, amount = t.held, send: SendOpts = {}): Promise<SendResult> {
    t.held = Math.max(0, t.held - amount);
    t.events.push(transactionEvent('CLEARING', amount, t.currency, 'DEBIT'));
    return this.event(t, 'SETTLED', send);
  }

  /** A force post: a CLEARING on a transaction that never had an authorization. */
  forcePost(o: CardAuthOptions): Promise<SendResult> {
    const t = newTransaction(o);
    t.events.push(transactionEvent('CLEARING', o.amount, t.currency, 'DEBIT'));
    return this.event(t, 'SETTLED', o);
  }

  /** A RETURN (refund) on a new transaction for the same card and merchant. */
  refund(
    from: LithicSimTransaction | CardAuthOptions,
    amount: number,
    send: SendOpts = {},
  ): Promise<SendResult> {
    const t =
      'token' in from
        ? {
            ...newTransaction({ amount }),
            cardToken: from.cardToken,
            merchant: from.merchant,
            currency: from.currency,
          }
        : newTransaction(from);
    t.events = [transactionEvent('RETURN', amount, t.currency, 'CREDIT')];
    return this.event(t, 'SETTLED', send);
  }
}

/** One-shot convenience: a single ASA request against `targetUrl`. */
export function sendAuthorization(
  targetUrl: string,
  secret: string,
  o: CardAuthOptions,
): Promise<LithicAuthorizeResult> {
  return new LithicSimulator({ targetUrl, secret }).authorize(o);
}

/** A signed (or deliberately mis-signed) garbage body, judged as an ASA answer. */
export async function sendGarbage(
  targetUrl: string,
  secret: string,
  body: string,
  signature: SignatureMode = 'valid',
): Promise<SendResult> {
  const { res, request } = await new LithicSimulator({ targetUrl, secret }).sendRaw(body, { signature });
  return toResult(
    res,
    judgeAsaAnswer(res, { token: null, requestedAmount: 0, partialAllowed: false }),
    request,
  );
}
