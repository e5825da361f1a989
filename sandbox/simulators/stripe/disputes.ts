import { emitCharge, type StripeEngine } from './engine.js';
import { NO_REQUEST } from './events.js';
import { disputeObject } from './objects.js';
import { type DisputeRec, nowSeconds, stripeId } from './store.js';

/**
 * Disputes (chargebacks): the disputed amount leaves the balance when the dispute opens and comes back only if
 * it is won. Card disputes open as `needs_response`; ACH disputes are final (Stripe: no evidence process), so
 * they open already `lost`.
 */
export function createDispute(engine: StripeEngine, chargeId: string, reason: string): DisputeRec {
  const charge = engine.store.charges.get(chargeId);
  if (!charge || charge.status !== 'succeeded') throw new Error(`no succeeded charge ${chargeId} to dispute`);
  if (charge.dispute) throw new Error(`charge ${chargeId} is already disputed`);
  const bank = engine.store.paymentMethods.get(charge.paymentMethod)?.type === 'us_bank_account';
  const d: DisputeRec = {
    id: stripeId('du'),
    created: nowSeconds(),
    amount: charge.amountCaptured - charge.amountRefunded,
    charge: charge.id,
    paymentIntent: charge.paymentIntent,
    currency: charge.currency,
    reason,
    status: bank ? 'lost' : 'needs_response',
  };
  engine.store.disputes.set(d.id, d);
  charge.dispute = d.id;
  engine.events.emit('charge.dispute.created', disputeObject(d), NO_REQUEST);
  emitCharge(engine, 'charge.updated', charge, NO_REQUEST, { disputed: false });
  if (bank) engine.events.emit('charge.dispute.closed', disputeObject(d), NO_REQUEST);
  return d;
}

export function closeDispute(engine: StripeEngine, disputeId: string, outcome: 'won' | 'lost'): DisputeRec {
  const d = engine.store.disputes.get(disputeId);
  if (!d) throw new Error(`no dispute ${disputeId}`);
  if (d.status === 'won' || d.status === 'lost')
    throw new Error(`dispute ${disputeId} is already ${d.status}`);
  d.status = outcome;
  if (outcome === 'won') engine.events.emit('charge.dispute.funds_reinstated', disputeObject(d), NO_REQUEST);
  engine.events.emit('charge.dispute.closed', disputeObject(d), NO_REQUEST, { status: 'needs_response' });
  return d;
}
