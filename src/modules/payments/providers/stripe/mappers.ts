import type Stripe from 'stripe';
import { ProviderError } from '../../../../kernel/errors.js';
import type { Decline, DeclineCode } from '../../domain/declines.js';
import type { DisputeStatus, MethodKind, ProcessorView, VendorMethod } from '../../domain/processor.js';

/** Stripe's decline codes (`decline_code`, else the error `code`) onto the taxonomy. */
const DECLINES: Record<string, DeclineCode> = {
  insufficient_funds: 'insufficient_funds',
  generic_decline: 'card_declined',
  card_declined: 'card_declined',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  invalid_number: 'incorrect_number',
  invalid_expiry_month: 'expired_card',
  invalid_expiry_year: 'expired_card',
  do_not_honor: 'do_not_honor',
  lost_card: 'fraud_suspected',
  stolen_card: 'fraud_suspected',
  fraudulent: 'fraud_suspected',
  pickup_card: 'fraud_suspected',
  merchant_blacklist: 'fraud_suspected',
  card_velocity_exceeded: 'limit_exceeded',
  withdrawal_count_limit_exceeded: 'limit_exceeded',
  processing_error: 'processing_error',
  try_again_later: 'processing_error',
  issuer_not_available: 'processing_error',
  currency_not_supported: 'not_supported',
  card_not_supported: 'not_supported',
  test_mode_live_card: 'not_supported',
  incorrect_zip: 'verification_failed',
  incorrect_address: 'verification_failed',
  account_closed: 'invalid_account',
  no_account: 'invalid_account',
  invalid_account_number: 'invalid_account',
  debit_not_authorized: 'unauthorized',
  invalid_currency: 'not_supported',
};

export function declineOf(
  code: string | null | undefined,
  declineCode: string | null | undefined,
  message?: string,
): Decline {
  const vendorCode = declineCode ?? code ?? 'unknown';
  return {
    code: (declineCode && DECLINES[declineCode]) || (code && DECLINES[code]) || 'other',
    vendorCode,
    message: message ?? vendorCode,
  };
}

/** A bank debit's failure code as Stripe shows it, back to the NACHA return code it stands for. */
const RETURN_CODES: Record<string, string> = {
  insufficient_funds: 'R01',
  account_closed: 'R02',
  no_account: 'R03',
  invalid_account_number: 'R04',
  debit_not_authorized: 'R10',
};

export function vendorMethodOf(pm: Stripe.PaymentMethod): VendorMethod {
  const customer = typeof pm.customer === 'string' ? pm.customer : (pm.customer?.id ?? null);
  if (!customer)
    throw new ProviderError('invalid_response', 'stripe: the payment method is not attached to a customer', {
      provider: 'stripe',
    });
  if (pm.type === 'card' && pm.card)
    return {
      kind: 'card',
      customerRef: customer,
      methodRef: pm.id,
      brand: pm.card.brand,
      last4: pm.card.last4,
      expMonth: pm.card.exp_month,
      expYear: pm.card.exp_year,
      bankName: null,
      routingNumber: null,
    };
  if (pm.type === 'us_bank_account' && pm.us_bank_account)
    return {
      kind: 'bank_account',
      customerRef: customer,
      methodRef: pm.id,
      brand: null,
      last4: pm.us_bank_account.last4,
      expMonth: null,
      expYear: null,
      bankName: pm.us_bank_account.bank_name,
      routingNumber: pm.us_bank_account.routing_number,
    };
  throw new ProviderError('rejected', `stripe: payment methods of type ${pm.type} are not supported`, {
    provider: 'stripe',
    vendorCode: 'unsupported_payment_method_type',
  });
}

const chargeOf = (pi: Stripe.PaymentIntent): Stripe.Charge | null =>
  pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;

/** A PaymentIntent (with `latest_charge` expanded) as the processor's view of the payment. */
export function viewOf(pi: Stripe.PaymentIntent, kind: MethodKind): ProcessorView {
  const charge = chargeOf(pi);
  const captured = charge?.amount_captured ?? pi.amount_received ?? 0;
  const base = {
    processorId: pi.id,
    amountAuthorized: pi.amount,
    amountCaptured: 0,
    amountRefunded: charge?.amount_refunded ?? 0,
    dispute: (charge?.disputed ? 'open' : null) as DisputeStatus | null,
    decline: null,
    returnCode: null,
  };
  switch (pi.status) {
    case 'requires_capture':
      return { ...base, status: 'authorized', amountAuthorized: pi.amount_capturable || pi.amount };
    case 'processing':
      return { ...base, status: 'processing', amountCaptured: pi.amount };
    case 'succeeded':
      return { ...base, status: kind === 'card' ? 'captured' : 'succeeded', amountCaptured: captured };
    case 'canceled':
      return { ...base, status: 'voided' };
    default: {
      // requires_payment_method (and confirmation states Plinth never leaves a payment in): the last attempt failed.
      const failure = pi.last_payment_error;
      const code = charge?.failure_code ?? failure?.code ?? null;
      if (kind === 'bank_account' && charge?.status === 'failed')
        return {
          ...base,
          status: 'returned',
          amountCaptured: pi.amount,
          returnCode: (code && RETURN_CODES[code]) ?? code,
          decline: declineOf(code, null, charge.failure_message ?? undefined),
        };
      return {
        ...base,
        status: 'declined',
        decline: declineOf(failure?.code, failure?.decline_code, failure?.message),
      };
    }
  }
}

/** A dispute's status as its webhook carries it. */
export function disputeStatusOf(status: string): DisputeStatus {
  if (status === 'won') return 'won';
  if (status === 'lost') return 'lost';
  return 'open';
}
