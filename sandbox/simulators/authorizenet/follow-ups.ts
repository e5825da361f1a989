import { readParty } from './cards.js';
import { duplicateKey, findDuplicate, requestedWindow } from './duplicates.js';
import { type AnetEngine, outcomeOf, type TxnOutcome } from './engine.js';
import { child, type Json, text, toCents } from './envelope.js';
import { scheduleSettlement } from './settlement.js';
import { last4, type Txn } from './store.js';

/**
 * The follow-up transactions, each naming an earlier one by `refTransId`: `priorAuthCaptureTransaction`
 * (all or part of an authorization, once; a repeat is answered approved with reason 311), `voidTransaction`
 * (anything not yet settled; a repeat is answered approved with reason 310) and `refundTransaction` (settled
 * transactions only, several up to the settled amount, with the last four digits of the card or account).
 */
function original(engine: AnetEngine, tr: Json): Txn | number {
  const ref = text(tr.refTransId);
  if (!ref || !/^\d+$/.test(ref)) return 15;
  return engine.store.transactions.get(ref) ?? 16;
}

export function capture(engine: AnetEngine, tr: Json): TxnOutcome {
  const t = original(engine, tr);
  if (typeof t === 'number') return { reasonCode: t };
  const amount = tr.amount === undefined ? t.authAmount : toCents(tr.amount);
  if (!amount) return { reasonCode: 5 };
  if (t.captures > 0) return outcomeOf(t, 311);
  if (t.type !== 'authOnlyTransaction' || t.status !== 'authorizedPendingCapture') return { reasonCode: 16 };
  if (amount > t.authAmount) return { reasonCode: 47, transId: t.transId, payment: t.payment };
  t.status = 'capturedPendingSettlement';
  t.settleAmount = amount;
  t.captures += 1;
  engine.webhooks.emit('net.authorize.payment.priorAuthCapture.created', t, amount);
  scheduleSettlement(engine, t.payment.kind);
  return { ...outcomeOf(t, 1), refTransId: t.transId };
}

const VOIDABLE: Txn['status'][] = [
  'authorizedPendingCapture',
  'capturedPendingSettlement',
  'refundPendingSettlement',
  'FDSPendingReview',
  'FDSAuthorizedPendingReview',
];

export function voidTransaction(engine: AnetEngine, tr: Json): TxnOutcome {
  const t = original(engine, tr);
  if (typeof t === 'number') return { reasonCode: t };
  if (t.status === 'voided') return { ...outcomeOf(t, 310), refTransId: t.transId };
  if (!VOIDABLE.includes(t.status)) return { reasonCode: 16, transId: t.transId };
  if (t.type === 'refundTransaction' && t.refTransId) {
    const refunded = engine.store.transactions.get(t.refTransId);
    if (refunded) refunded.refunded -= t.settleAmount;
  }
  t.status = 'voided';
  engine.webhooks.emit(
    'net.authorize.payment.void.created',
    t,
    t.type === 'authOnlyTransaction' ? t.authAmount : t.settleAmount,
  );
  return { ...outcomeOf(t, 1), refTransId: t.transId };
}

/** The refund must name the original's card (last four digits) or bank account (routing and last four). */
function samePayment(t: Txn, payment: Json | undefined): boolean {
  const card = payment && child(payment, 'creditCard');
  const bank = payment && child(payment, 'bankAccount');
  if (t.payment.kind === 'card')
    return !!card && last4(text(card.cardNumber) ?? '') === last4(t.payment.number);
  return (
    !!bank &&
    text(bank.routingNumber) === t.payment.routingNumber &&
    last4(text(bank.accountNumber) ?? '') === last4(t.payment.accountNumber)
  );
}

export function refund(engine: AnetEngine, tr: Json, refId: string | null): TxnOutcome {
  const amount = toCents(tr.amount);
  if (!amount) return { reasonCode: 5 };
  const t = original(engine, tr);
  if (typeof t === 'number') return { reasonCode: t === 16 ? 54 : t };
  if (
    t.type === 'refundTransaction' ||
    t.status !== 'settledSuccessfully' ||
    !samePayment(t, child(tr, 'payment'))
  )
    return { reasonCode: 54, payment: t.payment };
  if (t.refunded + amount > t.settleAmount) return { reasonCode: 55, payment: t.payment };
  const order = child(tr, 'order');
  const invoiceNumber = text(order?.invoiceNumber) ?? null;
  const billTo = readParty(tr.billTo);
  const now = engine.now();
  const key = duplicateKey({
    type: 'refundTransaction',
    amount,
    payment: t.payment,
    invoiceNumber,
    customerId: null,
    billTo,
  });
  const window = requestedWindow(tr);
  const dup = findDuplicate(engine.store, key, window ?? engine.settings.duplicateWindowSeconds, now);
  if (dup) return window === undefined ? { reasonCode: 11, payment: t.payment } : outcomeOf(dup, 11);
  const r: Txn = {
    ...t,
    transId: engine.store.nextId(),
    refTransId: t.transId,
    type: 'refundTransaction',
    status: 'refundPendingSettlement',
    responseCode: 1,
    reasonCode: 1,
    submittedAt: now,
    authAmount: amount,
    settleAmount: amount,
    refunded: 0,
    invoiceNumber,
    billTo: billTo ?? t.billTo,
    authCode: '',
    avs: 'P',
    cvv: '',
    batchId: null,
    settledAt: null,
    returnedItems: [],
    captures: 0,
    duplicateKey: key,
    refId,
  };
  engine.store.transactions.set(r.transId, r);
  t.refunded += amount;
  engine.webhooks.emit('net.authorize.payment.refund.created', r, amount);
  scheduleSettlement(engine, r.payment.kind);
  return { ...outcomeOf(r, 1), refTransId: t.transId };
}
