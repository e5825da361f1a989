import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeSimulator, startStripeSimulator } from './index.js';
import { rejection, sdkFor } from './test-client.js';

let sim: StripeSimulator;
let stripe: Stripe;

beforeAll(async () => {
  sim = await startStripeSimulator();
  stripe = sdkFor(sim);
});
afterAll(() => sim.close());

// Stripe's documented test payment methods, and what a confirmation with each answers.
const DECLINES: [string, { code: string; decline_code: string; param?: string }][] = [
  ['pm_card_visa_chargeDeclined', { code: 'card_declined', decline_code: 'generic_decline' }],
  ['pm_card_chargeDeclinedInsufficientFunds', { code: 'card_declined', decline_code: 'insufficient_funds' }],
  ['pm_card_chargeDeclinedLostCard', { code: 'card_declined', decline_code: 'lost_card' }],
  ['pm_card_chargeDeclinedStolenCard', { code: 'card_declined', decline_code: 'stolen_card' }],
  [
    'pm_card_chargeDeclinedExpiredCard',
    { code: 'expired_card', decline_code: 'expired_card', param: 'exp_month' },
  ],
  [
    'pm_card_chargeDeclinedIncorrectCvc',
    { code: 'incorrect_cvc', decline_code: 'incorrect_cvc', param: 'cvc' },
  ],
  ['pm_card_chargeDeclinedProcessingError', { code: 'processing_error', decline_code: 'processing_error' }],
  [
    'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
    { code: 'card_declined', decline_code: 'card_velocity_exceeded' },
  ],
  ['pm_card_radarBlock', { code: 'card_declined', decline_code: 'fraudulent' }],
  ['pm_card_simulator_chargeDeclinedDoNotHonor', { code: 'card_declined', decline_code: 'do_not_honor' }],
];

describe('Stripe simulator: card declines', () => {
  it.each(DECLINES)('%s declines with %o', async (pm, expected) => {
    const e = await rejection(
      stripe.paymentIntents.create(
        { amount: 2_000, currency: 'usd', payment_method: pm, confirm: true },
        { idempotencyKey: `decline-${pm}` },
      ),
    );
    expect(e).toMatchObject({ statusCode: 402, type: 'StripeCardError', ...expected });
    const raw = e.raw as { payment_intent: Stripe.PaymentIntent; charge: string };
    expect(raw.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: expected.code },
    });
    // The PaymentIntent exists after the decline, with its failed charge.
    const pi = await stripe.paymentIntents.retrieve(raw.payment_intent.id, { expand: ['latest_charge'] });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      id: raw.charge,
      status: 'failed',
      failure_code: expected.code,
      paid: false,
      captured: false,
    });
    expect(charge.outcome?.type).toBe(pm === 'pm_card_radarBlock' ? 'blocked' : 'issuer_declined');
    expect(sim.ledger().entries.find((x) => x.paymentIntent === pi.id)).toMatchObject({
      captured: 0,
      captures: 0,
    });
  });

  it('replays a decline for the same Idempotency-Key instead of charging again', async () => {
    const params = {
      amount: 3_000,
      currency: 'usd',
      payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      confirm: true,
    };
    const first = await rejection(stripe.paymentIntents.create(params, { idempotencyKey: 'decline-replay' }));
    const second = await rejection(
      stripe.paymentIntents.create(params, { idempotencyKey: 'decline-replay' }),
    );
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    expect((second.raw as { payment_intent: { id: string } }).payment_intent.id).toBe(
      (first.raw as { payment_intent: { id: string } }).payment_intent.id,
    );
  });

  it('declines a saved card that attached fine (4000 0000 0000 0341) when charged off session', async () => {
    const c = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: c.id });
    const e = await rejection(
      stripe.paymentIntents.create({
        amount: 1_500,
        currency: 'usd',
        customer: c.id,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      }),
    );
    expect(e).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
  });

  it('rejects card numbers that are not test cards or fail the checksum', async () => {
    const live = await rejection(
      stripe.paymentMethods.create({
        type: 'card',
        card: { number: '4916338506082832', exp_month: 12, exp_year: 2040, cvc: '123' },
      }),
    );
    expect(live).toMatchObject({ statusCode: 402, decline_code: 'test_mode_live_card' });
    const wrong = await rejection(
      stripe.paymentMethods.create({
        type: 'card',
        card: { number: '4242424242424241', exp_month: 12, exp_year: 2040 },
      }),
    );
    expect(wrong).toMatchObject({ statusCode: 402, code: 'incorrect_number' });
  });
});

describe('Stripe simulator: card disputes', () => {
  it('pm_card_createDispute succeeds, then a dispute takes the money until it is won', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 6_000,
      currency: 'usd',
      payment_method: 'pm_card_createDispute',
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.disputed).toBe(true);
    const entry = () => sim.ledger().entries.find((e) => e.paymentIntent === pi.id);
    expect(entry()).toMatchObject({ captured: 6_000, disputed: 6_000, net: 0 });
    const disputeId = [...sim.store.disputes.values()].find((d) => d.paymentIntent === pi.id)!.id;
    sim.closeDispute(disputeId, 'won');
    expect(entry()).toMatchObject({ disputed: 0, net: 6_000 });
  });
});
