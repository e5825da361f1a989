import { metadataOf, type StripeRoute, str } from './api.js';
import { scheduleRefundSettlement } from './bank.js';
import { emitCharge, originOf, type StripeEngine } from './engine.js';
import { invalidParam, invalidRequest, notFound, stateError } from './errors.js';
import { chargeObject, refundObject } from './objects.js';
import { nowSeconds, type RefundRec, stripeId } from './store.js';

/**
 * Charges (retrieve) and Refunds: several partial refunds up to what was captured. Card refunds succeed at once; bank refunds stay
 * `pending` until the next bank settlement. A disputed charge cannot be refunded.
 */
const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

export function refundRoutes(engine: StripeEngine): StripeRoute[] {
  const { store } = engine;
  return [
    {
      method: 'POST',
      path: '/v1/refunds',
      handler: (call) => {
        const { form } = call;
        const piId = str(form, 'payment_intent');
        const chargeId = str(form, 'charge');
        if (!piId && !chargeId)
          throw invalidRequest(
            'One of the following params should be provided for this request: payment_intent or charge.',
          );
        const pi = piId ? store.paymentIntents.get(piId) : undefined;
        if (piId && !pi) throw notFound('payment_intent', piId, 'payment_intent');
        const charge = store.charges.get(chargeId ?? pi?.latestCharge ?? '');
        if (chargeId && !charge) throw notFound('charge', chargeId, 'charge');
        if (!charge || charge.status !== 'succeeded' || !charge.captured)
          throw stateError(
            'charge_not_refundable',
            pi?.status === 'requires_capture'
              ? 'This PaymentIntent has not been captured; cancel it to release the authorization instead.'
              : `This charge cannot be refunded because it has not succeeded (PaymentIntent status: ${pi?.status ?? 'unknown'}).`,
            {},
            piId ? 'payment_intent' : 'charge',
          );
        if (charge.dispute)
          throw stateError(
            'charge_disputed',
            `Charge ${charge.id} has been charged back; you cannot issue a refund.`,
          );
        const remaining = charge.amountCaptured - charge.amountRefunded;
        if (remaining <= 0)
          throw stateError('charge_already_refunded', `Charge ${charge.id} has already been refunded.`);
        const raw = str(form, 'amount');
        if (raw !== undefined && !/^\d+$/.test(raw))
          throw invalidParam('amount', `Invalid integer: ${raw}`, 'parameter_invalid_integer');
        const amount = raw === undefined ? remaining : Number(raw);
        if (amount <= 0)
          throw invalidParam('amount', 'Amount must be greater than zero.', 'parameter_invalid_integer');
        if (amount > remaining)
          throw invalidRequest(
            `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`,
            { param: 'amount', code: 'amount_too_large' },
          );
        const reason = str(form, 'reason') ?? null;
        if (reason && !REASONS.includes(reason))
          throw invalidParam('reason', `Invalid reason: must be one of ${REASONS.join(', ')}`);
        const bank = store.paymentMethods.get(charge.paymentMethod)?.type === 'us_bank_account';
        const refund: RefundRec = {
          id: stripeId('re'),
          created: nowSeconds(),
          amount,
          charge: charge.id,
          paymentIntent: charge.paymentIntent,
          currency: charge.currency,
          status: bank ? 'pending' : 'succeeded',
          reason,
          metadata: metadataOf(form),
        };
        store.refunds.set(refund.id, refund);
        const previous = { amount_refunded: charge.amountRefunded, refunded: false };
        charge.amountRefunded += amount;
        const origin = originOf(call);
        engine.events.emit('refund.created', refundObject(refund), origin);
        emitCharge(engine, 'charge.refunded', charge, origin, previous);
        if (bank) scheduleRefundSettlement(engine);
        return { body: refundObject(refund) };
      },
    },
    {
      method: 'GET',
      path: '/v1/charges/:id',
      handler: ({ params }) => {
        const c = store.charges.get(params.id!);
        if (!c) throw notFound('charge', params.id!);
        return { body: chargeObject(c, store) };
      },
    },
    {
      method: 'GET',
      path: '/v1/refunds/:id',
      handler: ({ params }) => {
        const r = store.refunds.get(params.id!);
        if (!r) throw notFound('refund', params.id!);
        return { body: refundObject(r) };
      },
    },
  ];
}
