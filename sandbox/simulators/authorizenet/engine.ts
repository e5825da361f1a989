import { createHmac } from 'node:crypto';
import type { SimTimers } from '../shared/timers.js';
import type { NonceVault } from './cards.js';
import { reasonText, responseCodeOf } from './codes.js';
import { failed, type Json, ok } from './envelope.js';
import type { AnetStore, Payment, Txn } from './store.js';
import { last4 } from './store.js';
import type { AnetWebhooks } from './webhooks.js';

/** What the request handlers share, and how a `transactionResponse` is written. */
export interface AnetSettings {
  apiLoginId: string;
  transactionKey: string;
  /** Accept.js public client key (for `securePaymentContainerRequest`). */
  clientKey: string;
  /** 128 hex characters, as the Merchant Interface issues it; signs webhooks and `transHashSha2`. */
  signatureKey: string;
  /** The account's duplicate window when a request sets none (the gateway's default is 120 seconds). */
  duplicateWindowSeconds: number;
  /** AVS result codes the merchant's AVS filter rejects (reason 27). */
  avsReject: string[];
  /** Card code results the merchant's card code filter rejects (reason 65). */
  cvvReject: string[];
  /** eCheck amounts above this (cents) decline, as the sandbox does above $100; null: never. */
  echeckDeclineAboveCents: number | null;
  /** Card amounts above this (cents) are authorized and held for review (reason 253); null: never. */
  fraudReviewAboveCents: number | null;
  /** Milliseconds until an eCheck settles on its own; null: only when a test settles it. */
  echeckSettlementDelayMs: number | null;
  /** Milliseconds until the card batch settles on its own; null: only when a test settles it. */
  cardSettlementDelayMs: number | null;
}

export interface AnetEngine {
  store: AnetStore;
  nonces: NonceVault;
  webhooks: AnetWebhooks;
  timers: SimTimers;
  settings: AnetSettings;
  now(): Date;
}

export const accountTypeOf = (p: Payment): string => (p.kind === 'card' ? p.cardType : 'eCheck');
export const accountNumberOf = (p: Payment): string =>
  `XXXX${last4(p.kind === 'card' ? p.number : p.accountNumber)}`;

export interface TxnOutcome {
  reasonCode: number;
  transId?: string;
  refTransId?: string;
  authCode?: string;
  avs?: string;
  cvv?: string;
  payment?: Payment;
  amount?: number;
  /** For reason 33: the field left blank. */
  field?: string;
}

/** `transHashSha2`: HMAC-SHA512 of `^login^transId^amount^` under the hex-decoded signature key. */
export function transHashSha2(settings: AnetSettings, transId: string, amountCents: number): string {
  return createHmac('sha512', Buffer.from(settings.signatureKey, 'hex'))
    .update(`^${settings.apiLoginId}^${transId}^${(amountCents / 100).toFixed(2)}^`)
    .digest('hex')
    .toUpperCase();
}

export function transactionAnswer(engine: AnetEngine, o: TxnOutcome, refId?: string): Json {
  const responseCode = responseCodeOf(o.reasonCode);
  const transId = o.transId ?? '0';
  const text = reasonText(o.reasonCode, o.field);
  const approvedOrHeld = responseCode === 1 || responseCode === 4;
  const transactionResponse: Json = {
    responseCode: String(responseCode),
    authCode: o.authCode ?? '',
    avsResultCode: o.avs ?? 'P',
    cvvResultCode: o.cvv ?? '',
    cavvResultCode: '',
    transId,
    refTransID: o.refTransId ?? '',
    transHash: '',
    testRequest: '0',
    accountNumber: o.payment ? accountNumberOf(o.payment) : '',
    accountType: o.payment ? accountTypeOf(o.payment) : '',
    ...(approvedOrHeld
      ? { messages: [{ code: String(o.reasonCode), description: text }] }
      : { errors: [{ errorCode: String(o.reasonCode), errorText: text }] }),
    transHashSha2:
      transId !== '0' && o.amount !== undefined ? transHashSha2(engine.settings, transId, o.amount) : '',
    SupplementalDataQualificationIndicator: 0,
  };
  return approvedOrHeld
    ? ok({ transactionResponse }, refId)
    : failed('E00027', 'The transaction was unsuccessful.', { transactionResponse }, refId);
}

export const outcomeOf = (t: Txn, reasonCode: number): TxnOutcome => ({
  reasonCode,
  transId: t.transId,
  refTransId: t.refTransId ?? undefined,
  authCode: t.authCode,
  avs: t.avs,
  cvv: t.cvv,
  payment: t.payment,
  amount: t.type === 'authOnlyTransaction' && t.captures === 0 ? t.authAmount : t.settleAmount,
});
