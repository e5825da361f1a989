import { ProviderError } from '../../../../kernel/errors.js';
import { achReturnDecline, type Decline, type DeclineCode } from '../../domain/declines.js';
import type { MethodKind, ProcessorView, VendorMethod } from '../../domain/processor.js';
import { cents, type Json, type TransactionResponse } from './client.js';

/** Response reason codes of declined and refused transactions onto the taxonomy. */
const DECLINES: Record<string, DeclineCode> = {
  '2': 'card_declined',
  '3': 'card_declined',
  '4': 'fraud_suspected',
  '6': 'incorrect_number',
  '37': 'incorrect_number',
  '7': 'expired_card',
  '8': 'expired_card',
  '9': 'invalid_account',
  '10': 'invalid_account',
  '17': 'not_supported',
  '28': 'not_supported',
  '39': 'not_supported',
  '19': 'processing_error',
  '20': 'processing_error',
  '21': 'processing_error',
  '22': 'processing_error',
  '23': 'processing_error',
  '25': 'processing_error',
  '26': 'processing_error',
  '57': 'processing_error',
  '58': 'processing_error',
  '59': 'processing_error',
  '60': 'processing_error',
  '61': 'processing_error',
  '62': 'processing_error',
  '63': 'processing_error',
  '27': 'verification_failed',
  '45': 'verification_failed',
  '65': 'verification_failed',
  '44': 'incorrect_cvc',
  '41': 'fraud_suspected',
  '250': 'fraud_suspected',
  '251': 'fraud_suspected',
  '254': 'card_declined',
};

/**
 * Reason codes of response code 3 that refuse the request itself (Plinth sent something wrong: an amount, a
 * blank field, a refund the original does not allow): `rejected` errors, not declines of the borrower's method.
 */
const REQUEST_ERRORS = new Set(['5', '13', '15', '16', '33', '47', '54', '55']);

/** The reason code of a transaction response (its `messages` when approved or held, else its `errors`). */
export const reasonOf = (t: TransactionResponse): string =>
  t.errors?.[0]?.errorCode ?? t.messages?.[0]?.code ?? '';

export function declineOf(t: TransactionResponse): Decline {
  const reason = reasonOf(t);
  return {
    code: DECLINES[reason] ?? (t.responseCode === '3' ? 'processing_error' : 'other'),
    vendorCode: reason,
    message: t.errors?.[0]?.errorText ?? t.messages?.[0]?.description ?? `reason ${reason}`,
  };
}

export const isRequestError = (t: TransactionResponse): boolean =>
  t.responseCode === '3' && REQUEST_ERRORS.has(reasonOf(t));

export function requestError(t: TransactionResponse, operation: string): ProviderError {
  return new ProviderError('rejected', `authorizenet ${operation}: reason ${reasonOf(t)}`, {
    provider: 'authorizenet',
    vendorCode: reasonOf(t),
  });
}

/** A transaction as `getTransactionDetails` shows it, as the processor's view of the payment. */
export function viewOf(t: Json, kind: MethodKind): ProcessorView {
  const status = String(t.transactionStatus);
  const authorized = cents(t.authAmount);
  const settled = cents(t.settleAmount);
  const base: ProcessorView = {
    status: 'declined',
    processorId: String(t.transId),
    amountAuthorized: authorized,
    amountCaptured: 0,
    amountRefunded: 0,
    dispute: null,
    decline: null,
    returnCode: null,
  };
  switch (status) {
    case 'authorizedPendingCapture':
    case 'FDSPendingReview':
    case 'FDSAuthorizedPendingReview':
      return { ...base, status: 'authorized' };
    case 'capturedPendingSettlement':
      return { ...base, status: kind === 'card' ? 'captured' : 'processing', amountCaptured: settled };
    case 'settledSuccessfully':
      return { ...base, status: kind === 'card' ? 'captured' : 'succeeded', amountCaptured: settled };
    case 'voided':
    case 'couldNotVoid':
      return { ...base, status: 'voided' };
    case 'returnedItem': {
      const items = (t.returnedItems as { returnedItem?: Json[] } | undefined)?.returnedItem ?? [];
      const code = String(items[0]?.code ?? 'R??');
      return {
        ...base,
        status: 'returned',
        amountCaptured: settled,
        returnCode: code,
        decline: achReturnDecline(code),
      };
    }
    default: {
      const reason = String(t.responseReasonCode ?? '');
      return {
        ...base,
        decline: {
          code: DECLINES[reason] ?? 'other',
          vendorCode: reason,
          message: String(t.responseReasonDescription ?? status),
        },
      };
    }
  }
}

/** A stored payment profile (masked, as getCustomerProfile shows it) as Plinth keeps it. */
export function vendorMethodOf(
  customerRef: string,
  profile: Json,
  routingNumber: string | null,
): VendorMethod {
  const payment = (profile.payment ?? {}) as Json;
  const card = payment.creditCard as Json | undefined;
  const bank = payment.bankAccount as Json | undefined;
  const last4 = (masked: unknown) => String(masked ?? '').slice(-4) || null;
  const base = {
    customerRef,
    methodRef: String(profile.customerPaymentProfileId),
    expMonth: null,
    expYear: null,
  };
  if (card)
    return {
      ...base,
      kind: 'card',
      brand: String(card.cardType ?? '') || null,
      last4: last4(card.cardNumber),
      bankName: null,
      routingNumber: null,
    };
  if (bank)
    return {
      ...base,
      kind: 'bank_account',
      brand: null,
      last4: last4(bank.accountNumber),
      bankName: null,
      routingNumber,
    };
  throw new ProviderError(
    'invalid_response',
    'authorizenet: a payment profile with no card or bank account',
    {
      provider: 'authorizenet',
    },
  );
}
