import { list, metadataOf, type StripeCall, type StripeRoute, str } from './api.js';
import { attachMethod, confirm, isOffSession } from './confirm.js';
import { createDispute } from './disputes.js';
import { emitCharge, emitIntent, originOf, recordCapture, type StripeEngine } from './engine.js';
import { invalidParam, invalidRequest, missingParam, notFound, stateError } from './errors.js';
import type { FormObject } from './form.js';
import { paymentIntentObject } from './objects.js';
import { nowSeconds, type PaymentIntentRec, stripeId } from './store.js';

/** PaymentIntents: create (optionally confirming), confirm, capture (partial), cancel, retrieve. */
const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CANCEL_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];

const positiveInt = (form: FormObject, key: string): number | undefined => {
  const raw = str(form, key);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw invalidParam(key, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  return Number(raw);
};

const isTrue = (form: FormObject, key: string) => str(form, key) === 'true';

export function paymentIntentRoutes(engine: StripeEngine): StripeRoute[] {
  const { store } = engine;
  const intent = (id: string) => {
    const pi = store.paymentIntents.get(id);
    if (!pi) throw notFound('payment_intent', id);
    return pi;
  };
  const withIntent = (pi: PaymentIntentRec) => ({ payment_intent: paymentIntentObject(pi, store) });

  function create(call: StripeCall) {
    const { form } = call;
    const amount = positiveInt(form, 'amount');
    if (amount === undefined) throw missingParam('amount');
    const currency = str(form, 'currency')?.toLowerCase();
    if (!currency) throw missingParam('currency');
    if (!engine.settings.currencies.includes(currency))
      throw invalidParam(
        'currency',
        `Invalid currency: ${currency}. Stripe currently supports these currencies: ${engine.settings.currencies.join(', ')}`,
      );
    if (amount < 50)
      throw invalidRequest(`Amount must be at least $0.50 ${currency}`, {
        param: 'amount',
        code: 'amount_too_small',
      });
    if (amount > 99_999_999)
      throw invalidRequest('Amount must be no more than $999,999.99', {
        param: 'amount',
        code: 'amount_too_large',
      });
    // API versions from 2026 name the list `allowed_payment_method_types`; earlier ones `payment_method_types`.
    const allowed = list(form, 'allowed_payment_method_types') ?? null;
    const types = allowed ?? list(form, 'payment_method_types') ?? ['card'];
    for (const t of types)
      if (t !== 'card' && t !== 'us_bank_account')
        throw invalidParam(
          'payment_method_types',
          `The payment method type "${t}" is invalid. Please ensure the provided type is activated in your dashboard.`,
          'payment_intent_invalid_parameter',
        );
    const captureMethod = (str(form, 'capture_method') ?? 'automatic') as PaymentIntentRec['captureMethod'];
    if (!CAPTURE_METHODS.includes(captureMethod))
      throw invalidParam(
        'capture_method',
        `Invalid capture_method: must be one of ${CAPTURE_METHODS.join(', ')}`,
      );
    if (types.includes('us_bank_account') && captureMethod === 'manual')
      throw invalidRequest(
        'The payment method type `us_bank_account` does not support capture_method=manual.',
        { param: 'capture_method' },
      );
    if (types.includes('us_bank_account') && currency !== 'usd')
      throw invalidRequest(
        'The currency provided (' + currency + ') is invalid for us_bank_account. Only usd is supported.',
        { param: 'currency' },
      );
    const customer = str(form, 'customer') ?? null;
    if (customer && !store.customers.has(customer)) throw notFound('customer', customer, 'customer');
    const pi: PaymentIntentRec = {
      id: stripeId('pi'),
      created: nowSeconds(),
      amount,
      currency,
      customer,
      paymentMethod: null,
      paymentMethodTypes: types,
      allowedPaymentMethodTypes: allowed,
      captureMethod,
      status: 'requires_payment_method',
      amountCapturable: 0,
      amountReceived: 0,
      latestCharge: null,
      description: str(form, 'description') ?? null,
      metadata: metadataOf(form),
      canceledAt: null,
      cancellationReason: null,
      lastPaymentError: null,
      mandate: null,
      offSession: isOffSession(form),
      captureCount: 0,
    };
    const pmRef = str(form, 'payment_method');
    if (pmRef) {
      attachMethod(engine, pi, pmRef);
      pi.status = 'requires_confirmation';
    }
    const confirmNow = isTrue(form, 'confirm');
    if (!confirmNow && str(form, 'off_session'))
      throw invalidRequest('off_session can only be used with confirm=true.', { param: 'off_session' });
    // Validation above wrote nothing; from here on the PaymentIntent exists even if confirmation fails.
    store.paymentIntents.set(pi.id, pi);
    emitIntent(engine, 'payment_intent.created', pi, originOf(call));
    if (confirmNow) confirm(engine, pi, form, call);
    return { body: paymentIntentObject(pi, store, list(form, 'expand')) };
  }

  return [
    { method: 'POST', path: '/v1/payment_intents', handler: create },
    {
      method: 'GET',
      path: '/v1/payment_intents/:id',
      handler: ({ params, form }) => ({
        body: paymentIntentObject(intent(params.id!), store, list(form, 'expand')),
      }),
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/confirm',
      handler: (call) => {
        const pi = intent(call.params.id!);
        if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation')
          throw stateError(
            'payment_intent_unexpected_state',
            `You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`,
            withIntent(pi),
          );
        confirm(engine, pi, call.form, call);
        return { body: paymentIntentObject(pi, store, list(call.form, 'expand')) };
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/capture',
      handler: (call) => {
        const pi = intent(call.params.id!);
        if (pi.status !== 'requires_capture')
          throw stateError(
            'payment_intent_unexpected_state',
            `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
            withIntent(pi),
          );
        const amount = positiveInt(call.form, 'amount_to_capture') ?? pi.amountCapturable;
        if (amount <= 0)
          throw invalidParam(
            'amount_to_capture',
            'amount_to_capture must be greater than zero.',
            'parameter_invalid_integer',
          );
        if (amount > pi.amountCapturable)
          throw invalidRequest(
            `The amount to capture (${amount}) is greater than the amount capturable (${pi.amountCapturable}) on this PaymentIntent.`,
            { param: 'amount_to_capture', code: 'amount_too_large' },
          );
        const charge = store.charges.get(pi.latestCharge!)!;
        const origin = originOf(call);
        recordCapture(pi, charge, amount);
        emitCharge(engine, 'charge.captured', charge, origin, { amount_captured: 0, captured: false });
        emitIntent(engine, 'payment_intent.succeeded', pi, origin);
        const card = store.paymentMethods.get(charge.paymentMethod)?.card;
        if (card?.dispute) createDispute(engine, charge.id, card.dispute);
        return { body: paymentIntentObject(pi, store, list(call.form, 'expand')) };
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_intents/:id/cancel',
      handler: (call) => {
        const pi = intent(call.params.id!);
        if (!CANCELABLE.includes(pi.status))
          throw stateError(
            'payment_intent_unexpected_state',
            `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
            withIntent(pi),
          );
        const reason = str(call.form, 'cancellation_reason') ?? null;
        if (reason && !CANCEL_REASONS.includes(reason))
          throw invalidParam(
            'cancellation_reason',
            `Invalid cancellation_reason: must be one of ${CANCEL_REASONS.join(', ')}`,
          );
        const origin = originOf(call);
        const charge = pi.latestCharge ? store.charges.get(pi.latestCharge) : undefined;
        if (charge && pi.status === 'requires_capture') {
          // The uncaptured authorization is released: Stripe shows it as refunded.
          charge.amountRefunded = charge.amount;
          emitCharge(engine, 'charge.refunded', charge, origin, { amount_refunded: 0, refunded: false });
        }
        if (charge && pi.status === 'processing') {
          charge.status = 'failed';
          charge.failureMessage = 'The PaymentIntent was canceled before the bank debit settled.';
          emitCharge(engine, 'charge.failed', charge, origin);
        }
        pi.status = 'canceled';
        pi.amountCapturable = 0;
        pi.canceledAt = nowSeconds();
        pi.cancellationReason = reason;
        emitIntent(engine, 'payment_intent.canceled', pi, origin);
        return { body: paymentIntentObject(pi, store, list(call.form, 'expand')) };
      },
    },
  ];
}
