import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeSimulator, startStripeSimulator } from './index.js';
import { rejection, sdkFor } from './test-client.js';

let sim: StripeSimulator;
let stripe: Stripe;

beforeAll(async () => {
  sim = await startStripeSimulator({ bankSettlementDelayMs: null });
  stripe = sdkFor(sim);
});
afterAll(() => sim.close());

const mandate = {
  customer_acceptance: {
    type: 'online' as const,
    online: { ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0' },
  },
};

const debit = (pm: string, amount = 25_000, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: pm,
    allowed_payment_method_types: ['us_bank_account'],
    mandate_data: mandate,
    confirm: true,
    ...extra,
  });

describe('Stripe simulator: ACH debits (us_bank_account)', () => {
  it('stays processing until the bank settles, then succeeds', async () => {
    const pi = await debit('pm_usBankAccount_success');
    expect(pi.status).toBe('processing');
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).status).toBe('pending');
    expect(sim.ledger()).toMatchObject({ pending: expect.any(Number) });
    expect(sim.settleBankPayment(pi.id)).toBe(true);
    const settled = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(settled).toMatchObject({ status: 'succeeded', amount_received: 25_000 });
    expect((settled.latest_charge as Stripe.Charge).payment_method_details?.us_bank_account).toMatchObject({
      last4: '6789',
    });
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 25_000,
      captures: 1,
    });
  });

  it.each([
    ['pm_usBankAccount_insufficientFunds', 'insufficient_funds', 'R01'],
    ['pm_usBankAccount_accountClosed', 'account_closed', 'R02'],
    ['pm_usBankAccount_noAccount', 'no_account', 'R03'],
    ['pm_usBankAccount_debitNotAuthorized', 'debit_not_authorized', 'R10'],
  ])('%s fails at settlement with %s (%s)', async (pm, failureCode, returnCode) => {
    const pi = await debit(pm);
    sim.settleBankPayments();
    const failed = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: failureCode },
    });
    expect(failed.latest_charge).toMatchObject({ status: 'failed', failure_code: failureCode });
    expect(sim.ledger().entries.find((e) => e.paymentIntent === pi.id)).toMatchObject({
      captured: 0,
      returnCode,
    });
  });

  it('returns a debit with the return code a test chooses', async () => {
    const pi = await debit('pm_usBankAccount_success');
    sim.settleBankPayment(pi.id, { returnCode: 'R10' });
    const failed = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(failed.latest_charge).toMatchObject({ status: 'failed', failure_code: 'debit_not_authorized' });
  });

  it('settles on its own after the configured delay', async () => {
    sim.setBankSettlementDelay(50);
    try {
      const pi = await debit('pm_usBankAccount_success');
      await new Promise((r) => setTimeout(r, 150));
      expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    } finally {
      sim.setBankSettlementDelay(null);
    }
  });

  it('opens a final dispute on a settled debit from the dispute test account', async () => {
    const pi = await debit('pm_usBankAccount_dispute', 10_000);
    sim.settleBankPayments();
    const charge = await stripe.charges.retrieve(
      (await stripe.paymentIntents.retrieve(pi.id)).latest_charge as string,
    );
    expect(charge).toMatchObject({ status: 'succeeded', disputed: true });
    const entry = sim.ledger().entries.find((e) => e.paymentIntent === pi.id);
    expect(entry).toMatchObject({ captured: 10_000, disputed: 10_000, net: 0 });
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      code: 'charge_disputed',
    });
  });

  it('requires a mandate, and reuses it off session', async () => {
    const c = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach('pm_usBankAccount_success', { customer: c.id });
    const base = {
      amount: 5_000,
      currency: 'usd',
      customer: c.id,
      payment_method: pm.id,
      allowed_payment_method_types: ['us_bank_account'],
      confirm: true,
    };
    expect(await rejection(stripe.paymentIntents.create(base))).toMatchObject({
      statusCode: 400,
      param: 'mandate_data',
    });
    expect(await rejection(stripe.paymentIntents.create({ ...base, off_session: true }))).toMatchObject({
      statusCode: 400,
      param: 'mandate_data',
    });
    expect((await stripe.paymentIntents.create({ ...base, mandate_data: mandate })).status).toBe(
      'processing',
    );
    expect((await stripe.paymentIntents.create({ ...base, off_session: true })).status).toBe('processing');
  });

  it('refuses manual capture and refunds only once settled; bank refunds stay pending until settlement', async () => {
    const manual = await rejection(debit('pm_usBankAccount_success', 5_000, { capture_method: 'manual' }));
    expect(manual).toMatchObject({ statusCode: 400, param: 'capture_method' });
    const pi = await debit('pm_usBankAccount_success', 8_000);
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      code: 'charge_not_refundable',
    });
    sim.settleBankPayment(pi.id);
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 3_000 });
    expect(refund.status).toBe('pending');
    sim.settleBankPayments();
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('succeeded');
  });

  it('cancels a debit that is still processing (pm_usBankAccount_processing never settles)', async () => {
    const pi = await debit('pm_usBankAccount_processing');
    sim.settleBankPayments();
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('processing');
    expect((await stripe.paymentIntents.cancel(pi.id)).status).toBe('canceled');
  });
});
