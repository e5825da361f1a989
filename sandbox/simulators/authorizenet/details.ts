import { reasonText } from './codes.js';
import type { AnetEngine } from './engine.js';
import { AnetError, type Json, ok, text, toDollars } from './envelope.js';
import { masked, type Txn } from './store.js';

/**
 * Reporting: `getTransactionDetailsRequest` (one transaction with its status, amounts, batch and returned
 * items) and `getUnsettledTransactionListRequest` (everything not yet settled, newest first), which is how a
 * client finds a transaction whose answer it never received (by invoice number) and learns of eCheck returns.
 */
const localTime = (d: Date) =>
  d
    .toISOString()
    .replace('Z', '')
    .replace(/\.\d+$/, '');

const UNSETTLED: Txn['status'][] = [
  'authorizedPendingCapture',
  'capturedPendingSettlement',
  'refundPendingSettlement',
  'FDSPendingReview',
  'FDSAuthorizedPendingReview',
];

function paymentOf(t: Txn): Json {
  if (t.payment.kind === 'card')
    return {
      creditCard: {
        cardNumber: masked(t.payment.number),
        expirationDate: 'XXXX',
        cardType: t.payment.cardType,
      },
    };
  return {
    bankAccount: {
      accountType: t.payment.accountType,
      routingNumber: masked(t.payment.routingNumber),
      accountNumber: masked(t.payment.accountNumber),
      nameOnAccount: t.payment.nameOnAccount,
      echeckType: t.payment.echeckType,
    },
  };
}

export function transactionDetails(t: Txn): Json {
  return {
    transId: t.transId,
    ...(t.refTransId ? { refTransId: t.refTransId } : {}),
    submitTimeUTC: t.submittedAt.toISOString(),
    submitTimeLocal: localTime(t.submittedAt),
    transactionType: t.type,
    transactionStatus: t.status,
    responseCode: t.responseCode,
    responseReasonCode: t.reasonCode,
    responseReasonDescription: t.responseCode === 1 ? 'Approval' : reasonText(t.reasonCode),
    authCode: t.authCode,
    AVSResponse: t.avs,
    ...(t.cvv ? { cardCodeResponse: t.cvv } : {}),
    ...(t.batchId && t.settledAt
      ? {
          batch: {
            batchId: t.batchId,
            settlementTimeUTC: t.settledAt.toISOString(),
            settlementTimeLocal: localTime(t.settledAt),
            settlementState: 'settledSuccessfully',
          },
        }
      : {}),
    ...(t.invoiceNumber || t.description
      ? { order: { invoiceNumber: t.invoiceNumber ?? undefined, description: t.description ?? undefined } }
      : {}),
    authAmount: toDollars(t.authAmount),
    settleAmount: toDollars(t.settleAmount),
    taxExempt: false,
    payment: paymentOf(t),
    ...(t.customerId || t.customerEmail
      ? { customer: { id: t.customerId ?? undefined, email: t.customerEmail ?? undefined } }
      : {}),
    ...(t.billTo ? { billTo: t.billTo } : {}),
    recurringBilling: false,
    product: 'Card Not Present',
    marketType: 'eCommerce',
    ...(t.returnedItems.length ? { returnedItems: { returnedItem: t.returnedItems } } : {}),
    ...(t.profile ? { profile: t.profile } : {}),
  };
}

export function getTransactionDetails(engine: AnetEngine, body: Json, refId?: string): Json {
  const t = engine.store.transactions.get(text(body.transId) ?? '');
  if (!t) throw new AnetError('E00040', 'The record cannot be found.');
  return ok({ transaction: transactionDetails(t) }, refId);
}

export function getUnsettledTransactionList(engine: AnetEngine, refId?: string): Json {
  const list = [...engine.store.transactions.values()]
    .filter((t) => UNSETTLED.includes(t.status))
    .reverse()
    .map((t) => ({
      transId: t.transId,
      submitTimeUTC: t.submittedAt.toISOString(),
      submitTimeLocal: localTime(t.submittedAt),
      transactionStatus: t.status,
      ...(t.invoiceNumber ? { invoiceNumber: t.invoiceNumber } : {}),
      firstName: t.billTo?.firstName,
      lastName: t.billTo?.lastName,
      accountType: t.payment.kind === 'card' ? t.payment.cardType : 'eCheck',
      accountNumber: masked(t.payment.kind === 'card' ? t.payment.number : t.payment.accountNumber),
      settleAmount: toDollars(
        t.type === 'authOnlyTransaction' && t.captures === 0 ? t.authAmount : t.settleAmount,
      ),
      marketType: 'eCommerce',
      product: 'Card Not Present',
    }));
  return ok({ transactions: list, totalNumInResultSet: list.length }, refId);
}
