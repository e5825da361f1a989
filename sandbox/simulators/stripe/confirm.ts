import { obj, type StripeCall, str } from './api.js';
import { scheduleBankSettlement } from './bank.js';
import { resolvePaymentMethod } from './customers.js';
import { createDispute } from './disputes.js';
import {
  emitCharge,
  emitIntent,
  originOf,
  recordCapture,
  recordFailure,
  type StripeEngine,
} from './engine.js';
import { cardError, invalidParam, invalidRequest, missingParam, notFound, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { paymentIntentObject } from './objects.js';
import {
  type ChargeRec,
  nowSeconds,
  type PaymentIntentRec,
  type PaymentMethodRec,
  stripeId,
} from './store.js';

/**
 * Confirming a PaymentIntent: the payment method is checked against the customer and the allowed types, a
 * charge is made, and the outcome follows the test card or bank account: a decline (402, PaymentIntent back to
 * `requires_payment_method`), an authorization (`requires_capture`), a capture (`succeeded`), or a bank debit
 * left `processing` until settlement.
 */
/** `off_session` is a Boolean, or (newer API versions) `one_off` / `recurring`. */
export const isOffSession = (form: FormObject): boolean =>
  ['true', 'one_off', 'recurring'].includes(str(form, 'off_session') ?? '');

export function attachMethod(engine: StripeEngine, pi: PaymentIntentRec, ref: string): PaymentMethodRec {
  const pm = resolvePaymentMethod(engine, ref);
  if (pm.customer && pm.customer !== pi.customer)
    throw invalidRequest(
      pi.customer
        ? `The PaymentMethod '${pm.id}' does not belong to the Customer '${pi.customer}'. Please use a PaymentMethod that belongs to this Customer.`
        : 'The provided PaymentMethod belongs to a Customer; please include the Customer in the customer parameter on the PaymentIntent.',
      { param: 'payment_method' },
    );
  if (!pi.paymentMethodTypes.includes(pm.type))
    throw invalidRequest(
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.paymentMethodTypes.join(', ')}.`,
      { param: 'payment_method', code: 'payment_intent_incompatible_payment_method' },
    );
  pi.paymentMethod = pm.id;
  return pm;
}

/** Bank debits need the customer's authorization: a new mandate, an existing one, or an off-session reuse. */
function requireMandate(
  engine: StripeEngine,
  pi: PaymentIntentRec,
  pm: PaymentMethodRec,
  form: FormObject,
): void {
  const acceptance = obj(obj(form, 'mandate_data') ?? {}, 'customer_acceptance');
  const mandateId = str(form, 'mandate');
  if (acceptance) {
    const type = str(acceptance, 'type');
    if (type !== 'online' && type !== 'offline')
      throw invalidParam(
        'mandate_data[customer_acceptance][type]',
        'Invalid customer_acceptance type: must be online or offline',
      );
    if (type === 'online') {
      const online = obj(acceptance, 'online') ?? {};
      if (!str(online, 'ip_address'))
        throw missingParam('mandate_data[customer_acceptance][online][ip_address]');
      if (!str(online, 'user_agent'))
        throw missingParam('mandate_data[customer_acceptance][online][user_agent]');
    }
    const m = { id: stripeId('mandate'), paymentMethod: pm.id, customerAcceptance: acceptance };
    engine.store.mandates.set(m.id, m);
    pi.mandate = m.id;
    return;
  }
  const existing = [...engine.store.mandates.values()].find((m) =>
    mandateId ? m.id === mandateId : m.paymentMethod === pm.id,
  );
  if (mandateId && (!existing || existing.paymentMethod !== pm.id))
    throw notFound('mandate', mandateId, 'mandate');
  if (existing && (mandateId || pi.offSession)) {
    pi.mandate = existing.id;
    return;
  }
  throw invalidRequest(
    pi.offSession
      ? `The PaymentMethod '${pm.id}' has no active mandate; confirm once with mandate_data to create one.`
      : 'A mandate is required to confirm a us_bank_account PaymentIntent: pass mandate_data (or mandate, or off_session=true for a payment method with an active mandate).',
    { param: 'mandate_data', code: 'parameter_missing' },
  );
}

function newCharge(
  engine: StripeEngine,
  pi: PaymentIntentRec,
  pm: PaymentMethodRec,
  status: ChargeRec['status'],
): ChargeRec {
  const c: ChargeRec = {
    id: stripeId('ch'),
    created: nowSeconds(),
    amount: pi.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    captured: false,
    status,
    failureCode: null,
    failureMessage: null,
    returnCode: null,
    outcome: {},
    paymentIntent: pi.id,
    paymentMethod: pm.id,
    customer: pi.customer,
    currency: pi.currency,
    description: pi.description,
    metadata: pi.metadata,
    dispute: null,
    balanceTransaction: null,
  };
  engine.store.charges.set(c.id, c);
  pi.latestCharge = c.id;
  return c;
}

export function confirm(
  engine: StripeEngine,
  pi: PaymentIntentRec,
  form: FormObject,
  call: StripeCall,
): void {
  const origin = originOf(call);
  const pmRef = str(form, 'payment_method') ?? pi.paymentMethod;
  if (!pmRef)
    throw stateError(
      'payment_intent_unexpected_state',
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      { payment_intent: paymentIntentObject(pi, engine.store) },
    );
  const pm = attachMethod(engine, pi, pmRef);
  if (str(form, 'off_session')) pi.offSession = isOffSession(form);

  if (pm.type === 'us_bank_account') {
    requireMandate(engine, pi, pm, form);
    const charge = newCharge(engine, pi, pm, 'pending');
    charge.outcome = {
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'not_assessed',
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
    pi.status = 'processing';
    emitIntent(engine, 'payment_intent.processing', pi, origin);
    emitCharge(engine, 'charge.pending', charge, origin);
    scheduleBankSettlement(engine, pi.id);
    return;
  }

  const card = pm.card!;
  const decline = card.decline;
  if (decline) {
    const charge = newCharge(engine, pi, pm, 'failed');
    charge.outcome = decline.blocked
      ? {
          network_status: 'not_sent_to_network',
          reason: 'highest_risk_level',
          risk_level: 'highest',
          seller_message: 'Stripe blocked this payment as too risky.',
          type: 'blocked',
        }
      : {
          network_status: 'declined_by_network',
          reason: decline.declineCode,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        };
    recordFailure(
      engine,
      pi,
      charge,
      {
        type: 'card_error',
        code: decline.code,
        declineCode: decline.declineCode,
        message: decline.message,
        param: decline.param,
      },
      origin,
    );
    throw cardError({
      charge: charge.id,
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replaceAll('_', '-')}`,
      message: decline.message,
      ...(decline.param ? { param: decline.param } : {}),
      payment_intent: paymentIntentObject(pi, engine.store),
      payment_method: { id: pm.id, object: 'payment_method', type: pm.type },
    });
  }

  const charge = newCharge(engine, pi, pm, 'succeeded');
  charge.outcome = {
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 32,
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
  pi.lastPaymentError = null;
  if (pi.captureMethod === 'manual') {
    pi.status = 'requires_capture';
    pi.amountCapturable = pi.amount;
    emitCharge(engine, 'charge.succeeded', charge, origin);
    emitIntent(engine, 'payment_intent.amount_capturable_updated', pi, origin);
    return;
  }
  recordCapture(pi, charge, pi.amount);
  emitCharge(engine, 'charge.succeeded', charge, origin);
  emitIntent(engine, 'payment_intent.succeeded', pi, origin);
  if (card.dispute) createDispute(engine, charge.id, card.dispute);
}
