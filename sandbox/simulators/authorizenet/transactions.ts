import {
  AVS_BY_ZIP,
  authCode,
  CVV_BY_CODE,
  DECLINE_ZIP,
  readBankAccount,
  readCard,
  readParty,
  TEST_CARDS,
} from './cards.js';
import { REASONS } from './codes.js';
import { duplicateKey, findDuplicate, requestedWindow } from './duplicates.js';
import { type AnetEngine, outcomeOf, type TxnOutcome, transactionAnswer } from './engine.js';
import { AnetError, checkOrder, child, type Json, text, toCents } from './envelope.js';
import { capture, refund, voidTransaction } from './follow-ups.js';
import { scheduleSettlement } from './settlement.js';
import type { Party, Payment, Txn } from './store.js';

/**
 * `createTransactionRequest` with `authOnlyTransaction` and `authCaptureTransaction` (card, Accept.js nonce,
 * eCheck bank account or stored customer profile); the follow-ups (capture, void, refund) are in
 * follow-ups.ts. Outcomes follow the sandbox's documented triggers, then the merchant's AVS / card code /
 * fraud filters set in the simulator's options.
 */
const REQUEST_SEQUENCE = ['merchantAuthentication', 'clientId', 'refId', 'transactionRequest'] as const;
const TRANSACTION_SEQUENCE = [
  'transactionType',
  'amount',
  'currencyCode',
  'payment',
  'profile',
  'solution',
  'callId',
  'terminalNumber',
  'authCode',
  'refTransId',
  'splitTenderId',
  'order',
  'lineItems',
  'tax',
  'duty',
  'shipping',
  'taxExempt',
  'poNumber',
  'customer',
  'billTo',
  'shipTo',
  'customerIP',
  'cardholderAuthentication',
  'retail',
  'employeeId',
  'transactionSettings',
  'userFields',
  'surcharge',
  'merchantDescriptor',
  'subMerchant',
  'tip',
  'processingOptions',
  'subsequentAuthInformation',
  'otherTax',
  'shipFrom',
  'authorizationIndicatorType',
] as const;
const TYPES = [
  'authOnlyTransaction',
  'authCaptureTransaction',
  'priorAuthCaptureTransaction',
  'refundTransaction',
  'voidTransaction',
];

export function createTransaction(engine: AnetEngine, body: Json): Json {
  checkOrder('createTransactionRequest', body, REQUEST_SEQUENCE, [
    'merchantAuthentication',
    'transactionRequest',
  ]);
  const tr = child(body, 'transactionRequest')!;
  checkOrder('transactionRequest', tr, TRANSACTION_SEQUENCE, ['transactionType']);
  const type = text(tr.transactionType) ?? '';
  if (!TYPES.includes(type))
    throw new AnetError(
      'E00003',
      `The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:transactionType' element is invalid - The value '${type}' is invalid according to its datatype 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:transactionTypeEnum' - The Enumeration constraint failed.`,
    );
  const refId = text(body.refId);
  const answer = (o: TxnOutcome) => transactionAnswer(engine, o, refId);
  if (type === 'priorAuthCaptureTransaction') return answer(capture(engine, tr));
  if (type === 'voidTransaction') return answer(voidTransaction(engine, tr));
  if (type === 'refundTransaction') return answer(refund(engine, tr, refId ?? null));
  return answer(charge(engine, type as Txn['type'], tr, refId ?? null));
}

interface Source {
  payment: Payment;
  cardCode?: string;
  profile: Txn['profile'];
  billTo: Party | null;
}

function paymentSource(engine: AnetEngine, tr: Json): Source | [number, string?] {
  const payment = child(tr, 'payment');
  const profile = child(tr, 'profile');
  if (profile) {
    const customerProfileId = text(profile.customerProfileId) ?? '';
    const pp = child(profile, 'paymentProfile');
    const paymentProfileId = text(pp?.paymentProfileId) ?? '';
    const stored = engine.store.profiles.get(customerProfileId);
    const method = stored?.paymentProfiles.find((p) => p.id === paymentProfileId);
    if (!method) throw new AnetError('E00040', 'The record cannot be found.');
    return {
      payment: method.payment,
      cardCode: text(pp?.cardCode),
      profile: { customerProfileId, customerPaymentProfileId: paymentProfileId },
      billTo: method.billTo,
    };
  }
  if (!payment) return [33, 'Payment information'];
  const opaque = child(payment, 'opaqueData');
  const card = opaque ? engine.nonces.redeem(opaque, engine.now().getTime()) : child(payment, 'creditCard');
  if (card) {
    const read = readCard(card, engine.now());
    return Array.isArray(read)
      ? read
      : { payment: read, cardCode: text(card.cardCode), profile: null, billTo: null };
  }
  const bank = child(payment, 'bankAccount');
  if (bank) {
    const read = readBankAccount(bank);
    return Array.isArray(read) ? read : { payment: read, profile: null, billTo: null };
  }
  return [33, 'Payment information'];
}

/** The decision the sandbox (and then the merchant's filters) reaches for an authorization. */
function decide(
  engine: AnetEngine,
  source: Source,
  amount: number,
  zip: string | undefined,
): { reason: number; avs: string; cvv: string } {
  const { settings } = engine;
  if (source.payment.kind === 'bank') {
    const over = settings.echeckDeclineAboveCents !== null && amount > settings.echeckDeclineAboveCents;
    return { reason: over ? 2 : 1, avs: 'P', cvv: '' };
  }
  const avs = zip ? (AVS_BY_ZIP[zip] ?? 'Y') : 'P';
  const cvv = source.cardCode ? (CVV_BY_CODE[source.cardCode] ?? 'M') : '';
  if (source.payment.number === TEST_CARDS.reasonByAmount) {
    const byAmount = Math.floor(amount / 100);
    if (REASONS[byAmount]) return { reason: byAmount, avs, cvv };
  }
  if (zip === DECLINE_ZIP) return { reason: 2, avs, cvv };
  const avsBad = settings.avsReject.includes(avs);
  const cvvBad = cvv !== '' && settings.cvvReject.includes(cvv);
  if (avsBad && cvvBad) return { reason: 45, avs, cvv };
  if (avsBad) return { reason: 27, avs, cvv };
  if (cvvBad) return { reason: 65, avs, cvv };
  if (settings.fraudReviewAboveCents !== null && amount > settings.fraudReviewAboveCents)
    return { reason: 253, avs, cvv };
  return { reason: 1, avs, cvv };
}

const STATUS_BY_REASON: Record<number, Txn['status']> = {
  252: 'FDSPendingReview',
  253: 'FDSAuthorizedPendingReview',
};

function charge(engine: AnetEngine, type: Txn['type'], tr: Json, refId: string | null): TxnOutcome {
  const amount = toCents(tr.amount);
  if (!amount) return { reasonCode: 5 };
  const currency = text(tr.currencyCode);
  if (currency && currency !== 'USD') return { reasonCode: 39 };
  const source = paymentSource(engine, tr);
  if (Array.isArray(source)) return { reasonCode: source[0], field: source[1] };
  const order = child(tr, 'order');
  const customer = child(tr, 'customer');
  const billTo = readParty(tr.billTo) ?? source.billTo;
  const invoiceNumber = text(order?.invoiceNumber) ?? null;
  const customerId = text(customer?.id) ?? null;
  const now = engine.now();
  const key = duplicateKey({ type, amount, payment: source.payment, invoiceNumber, customerId, billTo });
  const window = requestedWindow(tr);
  const original = findDuplicate(engine.store, key, window ?? engine.settings.duplicateWindowSeconds, now);
  if (original)
    return window === undefined
      ? { reasonCode: 11, payment: source.payment }
      : { ...outcomeOf(original, 11), refTransId: undefined };

  const { reason, avs, cvv } = decide(engine, source, amount, billTo?.zip);
  const code = REASONS[reason]![0];
  if (code === 3) return { reasonCode: reason, payment: source.payment, avs, cvv };
  const approved = code === 1 || code === 4;
  const status: Txn['status'] = !approved
    ? 'declined'
    : (STATUS_BY_REASON[reason] ??
      (type === 'authOnlyTransaction' ? 'authorizedPendingCapture' : 'capturedPendingSettlement'));
  const captured = status === 'capturedPendingSettlement';
  const txn: Txn = {
    transId: engine.store.nextId(),
    refTransId: null,
    type,
    status,
    responseCode: code,
    reasonCode: reason,
    submittedAt: now,
    authAmount: amount,
    settleAmount: captured ? amount : 0,
    refunded: 0,
    payment: source.payment,
    profile: source.profile,
    invoiceNumber,
    description: text(order?.description) ?? null,
    customerId,
    customerEmail: text(customer?.email) ?? null,
    billTo,
    authCode: approved ? authCode() : '',
    avs,
    cvv,
    batchId: null,
    settledAt: null,
    returnedItems: [],
    captures: captured ? 1 : 0,
    duplicateKey: key,
    refId,
  };
  engine.store.transactions.set(txn.transId, txn);
  engine.webhooks.transaction(txn, txn.authAmount);
  if (captured) scheduleSettlement(engine, txn.payment.kind);
  return outcomeOf(txn, reason);
}
