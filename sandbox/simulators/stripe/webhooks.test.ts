import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../shared/webhook-receiver.js';
import { type StripeSimulator, startStripeSimulator } from './index.js';
import { sdkFor } from './test-client.js';

let sim: StripeSimulator;
let stripe: Stripe;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sim = await startStripeSimulator({ webhookDelivery: 'manual' });
  stripe = sdkFor(sim);
  const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
  secret = endpoint.secret!;
});
beforeEach(async () => {
  await sim.webhooks.flush();
  receiver.received.length = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const verified = (i: number): Stripe.Event => {
  const r = receiver.received[i]!;
  return stripe.webhooks.constructEvent(r.body, r.headers['stripe-signature'] as string, secret);
};
const types = () => receiver.received.map((_, i) => verified(i).type);

describe('Stripe simulator: signed webhooks', () => {
  it('registers an endpoint with a whsec_ secret and signs events that constructEvent verifies', async () => {
    expect(secret).toMatch(/^whsec_/);
    const pi = await stripe.paymentIntents.create(
      { amount: 3_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true },
      { idempotencyKey: 'wh-1' },
    );
    await sim.webhooks.flush();
    expect(types()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    const event = verified(2);
    expect(event).toMatchObject({
      object: 'event',
      livemode: false,
      request: { idempotency_key: 'wh-1' },
      data: { object: { id: pi.id, status: 'succeeded' } },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(() =>
      stripe.webhooks.constructEvent(
        receiver.received[2]!.body,
        receiver.received[2]!.headers['stripe-signature'] as string,
        'whsec_wrong',
      ),
    ).toThrow();
    // The same event is in the Events API.
    expect((await stripe.events.retrieve(event.id)).type).toBe('payment_intent.succeeded');
  });

  it('delivers refunds, bank failures and disputes', async () => {
    const card = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await stripe.refunds.create({ payment_intent: card.id, amount: 2_000 });
    const bank = await stripe.paymentIntents.create({
      amount: 9_000,
      currency: 'usd',
      payment_method: 'pm_usBankAccount_insufficientFunds',
      allowed_payment_method_types: ['us_bank_account'],
      mandate_data: { customer_acceptance: { type: 'offline' } },
      confirm: true,
    });
    sim.settleBankPayment(bank.id);
    sim.dispute(card.id, 'fraudulent');
    await sim.webhooks.flush();
    const seen = types();
    for (const t of [
      'refund.created',
      'charge.refunded',
      'payment_intent.processing',
      'charge.pending',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.dispute.created',
    ])
      expect(seen).toContain(t);
    const refunded = receiver.received.map((_, i) => verified(i)).find((e) => e.type === 'charge.refunded')!;
    expect(refunded.data).toMatchObject({
      object: { amount_refunded: 2_000 },
      previous_attributes: { amount_refunded: 0 },
    });
    const failed = receiver.received
      .map((_, i) => verified(i))
      .find((e) => e.type === 'payment_intent.payment_failed')!;
    expect(failed.data.object).toMatchObject({
      id: bank.id,
      last_payment_error: { code: 'insufficient_funds' },
    });
  });

  it('delivers twice and out of order on request, and redelivers an event', async () => {
    await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(sim.webhooks.pending().map((w) => w.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    await sim.webhooks.flush({ order: 'reverse', times: 2 });
    expect(types()).toEqual([
      'payment_intent.succeeded',
      'payment_intent.succeeded',
      'charge.succeeded',
      'charge.succeeded',
      'payment_intent.created',
      'payment_intent.created',
    ]);
    const id = verified(0).id;
    await sim.webhooks.redeliver(id);
    expect(verified(6).id).toBe(id);
  });

  it('sends as events happen in auto mode and logs each delivery with the receiver’s status', async () => {
    sim.webhooks.setMode('auto');
    receiver.answer(500);
    try {
      await stripe.customers.create({});
      await stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      await sim.webhooks.idle();
      expect(types()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
      expect(sim.webhooks.deliveries.slice(-3).map((d) => d.status)).toEqual([500, 500, 500]);
    } finally {
      receiver.answer(200);
      sim.webhooks.setMode('manual');
    }
  });
});
