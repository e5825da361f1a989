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

describe('Stripe simulator: customers and payment methods', () => {
  it('creates and retrieves a customer', async () => {
    const c = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { borrower: 'b1' },
    });
    expect(c).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      livemode: false,
      metadata: { borrower: 'b1' },
    });
    expect(c.id).toMatch(/^cus_/);
    expect(await stripe.customers.retrieve(c.id)).toMatchObject({ id: c.id, name: 'Ada' });
  });

  it('makes card and bank payment methods from test tokens and attaches them', async () => {
    const c = await stripe.customers.create({});
    const card = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    expect(card).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      card: { brand: 'visa', last4: '4242' },
    });
    const attached = await stripe.paymentMethods.attach(card.id, { customer: c.id });
    expect(attached.customer).toBe(c.id);

    const bank = await stripe.paymentMethods.create({
      type: 'us_bank_account',
      us_bank_account: {
        routing_number: '110000000',
        account_number: '000123456789',
        account_holder_type: 'individual',
      },
      billing_details: { name: 'Ada Lovelace' },
    });
    expect(bank.us_bank_account).toMatchObject({
      last4: '6789',
      routing_number: '110000000',
      bank_name: 'STRIPE TEST BANK',
    });
    // A test PaymentMethod id attaches as a fresh PaymentMethod.
    const fromAlias = await stripe.paymentMethods.attach('pm_usBankAccount_success', { customer: c.id });
    expect(fromAlias.id).not.toBe('pm_usBankAccount_success');
    const listed = await stripe.customers.listPaymentMethods(c.id);
    expect(listed.data.map((p) => p.id).sort()).toEqual([card.id, fromAlias.id].sort());
    expect(await stripe.paymentMethods.retrieve(bank.id)).toMatchObject({
      id: bank.id,
      type: 'us_bank_account',
    });
  });

  it('refuses a bank account without a holder name and a declining card at attach', async () => {
    const noName = await rejection(
      stripe.paymentMethods.create({
        type: 'us_bank_account',
        us_bank_account: { routing_number: '110000000', account_number: '000123456789' },
      }),
    );
    expect(noName).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'billing_details[name]',
    });
    const c = await stripe.customers.create({});
    const declined = await rejection(
      stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: c.id }),
    );
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    expect(
      (await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: c.id })).customer,
    ).toBe(c.id);
  });

  it('answers 404 resource_missing for unknown objects', async () => {
    const e = await rejection(stripe.customers.retrieve('cus_nope'));
    expect(e).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      type: 'StripeInvalidRequestError',
    });
    expect(e.message).toBe("No such customer: 'cus_nope'");
  });

  it('rejects a wrong or missing secret key with 401', async () => {
    const e = await rejection(
      sdkFor({ ...sim, apiKey: 'sk_test_wrong0000000000000000' } as StripeSimulator).customers.create({}),
    );
    expect(e).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
    expect(e.message).toMatch(/^Invalid API Key provided: sk_test_\**0000$/);
  });
});

describe('Stripe simulator: card PaymentIntents', () => {
  it('charges at once with capture_method=automatic', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 12_345,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      confirm: true,
      expand: ['latest_charge'],
    });
    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount_received: 12_345,
      capture_method: 'automatic',
      livemode: false,
    });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      captured: true,
      amount_captured: 12_345,
      paid: true,
    });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 12_345,
      captures: 1,
    });
  });

  it('authorizes, captures part, and refuses a second capture', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_mastercard',
      capture_method: 'manual',
      confirm: true,
    });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 10_000, amount_received: 0 });
    const tooMuch = await rejection(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 10_001 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 7_500 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 7_500, amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(captured.latest_charge as string);
    expect(charge).toMatchObject({ amount: 10_000, amount_captured: 7_500, captured: true });
    const again = await rejection(stripe.paymentIntents.capture(pi.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect((again.raw as { payment_intent?: { status?: string } }).payment_intent?.status).toBe('succeeded');
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 7_500,
      captures: 1,
    });
  });

  it('cancels an authorization (void) and refuses to cancel a captured one', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const canceled = await stripe.paymentIntents.cancel(pi.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
      amount_capturable: 0,
    });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    const done = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(await rejection(stripe.paymentIntents.cancel(done.id))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 0,
      captures: 0,
    });
  });

  it('keeps a customer’s payment method to that customer', async () => {
    const [a, b] = [await stripe.customers.create({}), await stripe.customers.create({})];
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: a.id });
    const other = await rejection(
      stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'usd',
        customer: b.id,
        payment_method: pm.id,
        confirm: true,
      }),
    );
    expect(other).toMatchObject({ statusCode: 400, param: 'payment_method' });
    const ok = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: 'usd',
      customer: a.id,
      payment_method: pm.id,
      off_session: true,
      confirm: true,
    });
    expect(ok).toMatchObject({ status: 'succeeded', customer: a.id, payment_method: pm.id });
  });

  it('validates amounts and currencies before writing anything', async () => {
    const before = sim.store.paymentIntents.size;
    expect(await rejection(stripe.paymentIntents.create({ amount: 10, currency: 'usd' }))).toMatchObject({
      code: 'amount_too_small',
      param: 'amount',
    });
    expect(await rejection(stripe.paymentIntents.create({ amount: 1_000, currency: 'xyz' }))).toMatchObject({
      statusCode: 400,
      param: 'currency',
    });
    expect(sim.store.paymentIntents.size).toBe(before);
  });
});

describe('Stripe simulator: refunds', () => {
  it('refunds partially, several times, up to the captured amount', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 8_000 });
    const r1 = await stripe.refunds.create(
      { payment_intent: pi.id, amount: 3_000 },
      { idempotencyKey: `r1-${pi.id}` },
    );
    expect(r1).toMatchObject({ object: 'refund', amount: 3_000, status: 'succeeded', payment_intent: pi.id });
    const r2 = await stripe.refunds.create({ payment_intent: pi.id, amount: 4_000 });
    const over = await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 1_001 }));
    expect(over).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(1_000);
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 1 }))).toMatchObject({
      code: 'charge_already_refunded',
    });
    expect(await stripe.refunds.retrieve(r2.id)).toMatchObject({ id: r2.id, amount: 4_000 });
    const charge = await stripe.charges.retrieve(
      (await stripe.paymentIntents.retrieve(pi.id)).latest_charge as string,
    );
    expect(charge).toMatchObject({ amount_refunded: 8_000, refunded: true });
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 8_000,
      refunded: 8_000,
      refunds: 3,
      net: 0,
    });
  });

  it('refuses to refund an uncaptured authorization', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      statusCode: 400,
      code: 'charge_not_refundable',
    });
  });
});
