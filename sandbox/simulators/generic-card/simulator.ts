import { createHmac } from 'node:crypto';
import {
  acknowledgementVerdict,
  alpha3,
  type CardAuthOptions,
  isPlainObject,
  post,
  type RawResponse,
  randomAlnum,
  readJson,
  type SendResult,
  type SignatureMode,
  signingTime,
  tamper,
  toResult,
  type Verdict,
} from '../shared/card-client.js';

/**
 * Plays a card platform speaking Plinth's generic relay contract (docs/card-relay-generic.md): signs with
 * `Plinth-Signature: t=…,v1=…` (written here from the document, independently of the adapter's verifier) and
 * judges answers by the contract's rules.
 */
export const GENERIC_TIMEOUT_MS = 2000;

export interface GenericSimAuthorization {
  id: string;
  cardId: string;
  currency: string;
  merchant: Record<string, unknown>;
  partialAllowed: boolean;
  held: number;
}

interface SendOpts {
  signature?: SignatureMode;
  timestamp?: number;
  /** Extra v1 signatures made with these secrets (a platform mid-rotation). */
  alsoSignWith?: string[];
}

export interface GenericAuthorizeResult extends SendResult {
  authorization: GenericSimAuthorization;
}

const hmacHex = (secret: string, t: number, body: string) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.${body}`, 'utf8').digest('hex');

export function judgeGenericAnswer(
  res: RawResponse,
  ctx: { authorizationId: string | null; requestedAmount: number; partialAllowed: boolean },
): Verdict {
  const problems: string[] = [];
  if (res.status !== 200) problems.push(`status must be 200, got ${res.status}`);
  if (res.latencyMs > GENERIC_TIMEOUT_MS) problems.push(`answered in ${Math.round(res.latencyMs)} ms`);
  const body = readJson(res.text);
  if (!isPlainObject(body)) {
    problems.push('body must be a JSON object');
    return { ok: false, problems, approved: null, approvedAmount: null };
  }
  if (body.decision !== 'approved' && body.decision !== 'declined')
    problems.push('"decision" must be approved|declined');
  if (typeof body.reason !== 'string' || body.reason === '')
    problems.push('"reason" must be a non-empty string');
  if (ctx.authorizationId !== null && body.authorization_id !== ctx.authorizationId)
    problems.push('"authorization_id" must echo the request');
  const amount = body.approved_amount;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0)
    problems.push('"approved_amount" must be a non-negative integer');
  else if (body.decision === 'declined' && amount !== 0) problems.push('a decline must approve 0');
  else if (body.decision === 'approved') {
    if (amount === 0 || amount > ctx.requestedAmount)
      problems.push(`"approved_amount" ${amount} is out of range`);
    if (amount < ctx.requestedAmount && !ctx.partialAllowed)
      problems.push('partial approval was not allowed');
  }
  const approved = body.decision === 'approved' ? true : body.decision === 'declined' ? false : null;
  return {
    ok: problems.length === 0,
    problems,
    approved,
    approvedAmount: approved && typeof amount === 'number' ? amount : null,
  };
}

export class GenericCardSimulator {
  constructor(private readonly opts: { targetUrl: string; secret: string }) {}

  async sendRaw(
    payload: string,
    send: SendOpts = {},
  ): Promise<{ res: RawResponse; request: SendResult['request'] }> {
    const mode = send.signature ?? 'valid';
    const t = signingTime(mode, send.timestamp);
    const secret = mode === 'wrong_secret' ? `${this.opts.secret}-wrong` : this.opts.secret;
    const sigs = [secret, ...(send.alsoSignWith ?? [])].map((s) => `v1=${hmacHex(s, t, payload)}`);
    const body = mode === 'tampered' ? tamper(payload) : payload;
    const headers: Record<string, string> =
      mode === 'missing' ? {} : { 'Plinth-Signature': [`t=${t}`, ...sigs].join(',') };
    const res = await post(this.opts.targetUrl, body, headers, GENERIC_TIMEOUT_MS + 1000);
    return { res, request: { body, headers } };
  }

  private message(
    type: string,
    a: GenericSimAuthorization,
    amount: number,
    extra: Record<string, unknown> = {},
  ) {
    return {
      type,
      id: `msg_${randomAlnum(20)}`,
      authorization_id: a.id,
      amount,
      currency: a.currency,
      card_id: a.cardId,
      merchant: a.merchant,
      occurred_at: new Date().toISOString(),
      ...extra,
    };
  }

  private async request(type: string, a: GenericSimAuthorization, amount: number, send: SendOpts) {
    const body = this.message(type, a, amount, { partial_allowed: a.partialAllowed });
    const { res, request } = await this.sendRaw(JSON.stringify(body), send);
    const verdict = judgeGenericAnswer(res, {
      authorizationId: a.id,
      requestedAmount: amount,
      partialAllowed: a.partialAllowed,
    });
    if (verdict.ok && verdict.approved) a.held += verdict.approvedAmount ?? amount;
    return { ...toResult(res, verdict, request), authorization: a };
  }

  private async notify(type: string, a: GenericSimAuthorization, amount: number, send: SendOpts, extra = {}) {
    const { res, request } = await this.sendRaw(JSON.stringify(this.message(type, a, amount, extra)), send);
    return toResult(res, acknowledgementVerdict(res, GENERIC_TIMEOUT_MS), request);
  }

  authorize(o: CardAuthOptions): Promise<GenericAuthorizeResult> {
    return this.request('authorization', newAuthorization(o), o.amount, o);
  }

  increment(
    a: GenericSimAuthorization,
    amount: number,
    send: SendOpts = {},
  ): Promise<GenericAuthorizeResult> {
    return this.request('incremental_authorization', a, amount, send);
  }

  reverse(a: GenericSimAuthorization, amount = a.held, send: SendOpts = {}): Promise<SendResult> {
    a.held -= amount;
    return this.notify('reversal', a, amount, send);
  }

  clear(a: GenericSimAuthorization, amount = a.held, send: SendOpts = {}): Promise<SendResult> {
    a.held = Math.max(0, a.held - amount);
    return this.notify('clearing', a, amount, send, { settlement_id: `stl_${randomAlnum(16)}` });
  }

  forcePost(o: CardAuthOptions): Promise<SendResult> {
    return this.notify('clearing', newAuthorization(o), o.amount, o, { force_post: true });
  }

  refund(a: GenericSimAuthorization, amount: number, send: SendOpts = {}): Promise<SendResult> {
    return this.notify('refund', a, amount, send, { settlement_id: `stl_${randomAlnum(16)}` });
  }

  expire(a: GenericSimAuthorization, send: SendOpts = {}): Promise<SendResult> {
    const left = a.held;
    a.held = 0;
    return this.notify('expiry', a, left, send);
  }
}

export function newAuthorization(o: CardAuthOptions): GenericSimAuthorization {
  return {
    id: `auth_${randomAlnum(20)}`,
    cardId: o.cardId ?? `card_${randomAlnum(16)}`,
    currency: (o.currency ?? 'EUR').toUpperCase(),
    merchant: {
      id: o.merchantId ?? 'MID-000123',
      acquirer_id: o.acquirerId ?? 'ACQ-4455',
      mcc: o.mcc ?? '5411',
      name: o.merchantName ?? 'Marché Central',
      country: o.country?.length === 2 ? o.country : alpha3(o.country ?? 'FRA'),
      postal_code: o.postalCode === undefined ? '75001' : o.postalCode,
      city: o.city ?? 'Paris',
    },
    partialAllowed: o.partialAllowed ?? false,
    held: 0,
  };
}

export function sendAuthorization(
  targetUrl: string,
  secret: string,
  o: CardAuthOptions,
): Promise<GenericAuthorizeResult> {
  return new GenericCardSimulator({ targetUrl, secret }).authorize(o);
}

export async function sendGarbage(
  targetUrl: string,
  secret: string,
  body: string,
  signature: SignatureMode = 'valid',
) {
  const { res, request } = await new GenericCardSimulator({ targetUrl, secret }).sendRaw(body, { signature });
  return toResult(
    res,
    judgeGenericAnswer(res, { authorizationId: null, requestedAmount: 0, partialAllowed: false }),
    request,
  );
}
