import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StripeError } from './errors.js';
import { IdempotencyStore } from './idempotency.js';
import { type StripeSimulator, startStripeSimulator } from './index.js';
import { rejection, sdkFor } from './test-client.js';

let sim: StripeSimulator;
let stripe: Stripe;

beforeAll(async () => {
  sim = await startStripeSimulator();
  stripe = sdkFor(sim, { maxNetworkRetries: 0 });
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const CAPTURE = /^\/v1\/payment_intents\/[^/]+\/capture$/;
const entry = (id: string) => sim.ledger().entries.find((e) => e.paymentIntent === id);
const authorize = (amount = 4_000) =>
  stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    capture_method: 'manual',
    confirm: true,
  });

describe('Stripe simulator: idempotency keys', () => {
  it('replays the stored response for the same key and parameters', async () => {
    const params = {
      amount: 1_234,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { payment: 'p1' },
    };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'idem-same' });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'idem-same' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(sim.ledger().entries.filter((e) => e.metadata.payment === 'p1')).toHaveLength(1);
  });

  it('answers 400 idempotency_error for the same key with other parameters', async () => {
    await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd' }, { idempotencyKey: 'idem-diff' });
    const e = await rejection(
      stripe.paymentIntents.create({ amount: 1_001, currency: 'usd' }, { idempotencyKey: 'idem-diff' }),
    );
    expect(e).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect(e.message).toContain("Try using a key other than 'idem-diff'");
  });

  it('does not store a request that failed validation, so a corrected retry with the key runs', async () => {
    await rejection(
      stripe.paymentIntents.create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'idem-invalid' }),
    );
    const e = await rejection(
      stripe.paymentIntents.create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'idem-invalid' }),
    );
    expect(e.headers?.['idempotent-replayed']).toBeUndefined();
  });

  it('answers 409 while the first request with the key is still running', () => {
    const store = new IdempotencyStore();
    const claim = store.claim('sk', 'k', 'POST /v1/refunds', '{}');
    expect(claim.kind).toBe('run');
    expect(() => store.claim('sk', 'k', 'POST /v1/refunds', '{}')).toThrow(StripeError);
    try {
      store.claim('sk', 'k', 'POST /v1/refunds', '{}');
    } catch (e) {
      expect((e as StripeError).status).toBe(409);
    }
  });
});

describe('Stripe simulator: faults', () => {
  it('captures and drops the answer: the SDK times out, retries with its key, and nothing is captured twice', async () => {
    const pi = await authorize();
    sim.dropAnswer({ path: CAPTURE });
    const retrying = sdkFor(sim, { timeout: 1_000, maxNetworkRetries: 2 });
    const captured = await retrying.paymentIntents.capture(pi.id, { amount_to_capture: 3_000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3_000 });
    expect(captured.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(entry(pi.id)).toMatchObject({ captured: 3_000, captures: 1 });
  });

  it('charges and drops the answer: a retry with the same key is safe, one with a new key charges twice', async () => {
    const params = {
      amount: 2_500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { payment: 'dropped' },
    };
    sim.dropAnswer({ path: '/v1/payment_intents' });
    const e = await rejection(
      stripe.paymentIntents.create(params, { idempotencyKey: 'drop-1', timeout: 1_000 }),
    );
    expect(e.type).toBe('StripeConnectionError');
    const charged = () => sim.ledger().entries.filter((x) => x.metadata.payment === 'dropped');
    expect(charged()).toHaveLength(1);
    const retry = await stripe.paymentIntents.create(params, { idempotencyKey: 'drop-1' });
    expect(retry.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(charged()).toHaveLength(1);
    await stripe.paymentIntents.create(params, { idempotencyKey: 'drop-2' });
    expect(charged().map((x) => x.captured)).toEqual([2_500, 2_500]);
  });

  it('resets the connection after charging: the SDK retries a reset once by itself, with its key', async () => {
    const pi = await authorize();
    sim.dropAnswer({ path: CAPTURE, how: 'reset' });
    const captured = await stripe.paymentIntents.capture(pi.id);
    expect(captured.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(entry(pi.id)).toMatchObject({ captured: 4_000, captures: 1 });
  });

  it('times out without doing anything: the retry is the first real request', async () => {
    const pi = await authorize();
    sim.timeout({ path: CAPTURE });
    const retrying = sdkFor(sim, { timeout: 1_000, maxNetworkRetries: 1 });
    const captured = await retrying.paymentIntents.capture(pi.id);
    expect(captured.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(entry(pi.id)).toMatchObject({ captured: 4_000, captures: 1 });
  });

  it('answers 429 with Retry-After for the next N requests', async () => {
    sim.rateLimit({ path: '/v1/customers', times: 2, retryAfter: 3 });
    for (let i = 0; i < 2; i++) {
      const e = await rejection(stripe.customers.create({}));
      expect(e).toMatchObject({ statusCode: 429, type: 'StripeRateLimitError', code: 'rate_limit' });
      expect(e.headers?.['retry-after']).toBe('3');
    }
    expect((await stripe.customers.create({})).object).toBe('customer');
  });

  it('answers 5xx: the SDK retries past one failure, and surfaces the error when they persist', async () => {
    const retrying = sdkFor(sim, { maxNetworkRetries: 1 });
    sim.failWith({ path: '/v1/customers', status: 503 });
    expect((await retrying.customers.create({})).object).toBe('customer');
    sim.failWith({ path: '/v1/customers', status: 500, times: 2 });
    expect(await rejection(retrying.customers.create({}))).toMatchObject({
      statusCode: 500,
      type: 'StripeAPIError',
    });
  });

  it('answers slowly', async () => {
    sim.slow({ method: 'GET', path: /^\/v1\/customers\//, delayMs: 250 });
    const c = await stripe.customers.create({});
    const started = performance.now();
    await stripe.customers.retrieve(c.id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('counts requests and replays', async () => {
    const before = sim.counters();
    const c = await stripe.customers.create({}, { idempotencyKey: 'count-1' });
    await stripe.customers.create({}, { idempotencyKey: 'count-1' });
    await stripe.customers.retrieve(c.id);
    const after = sim.counters();
    expect(after.requests - before.requests).toBe(3);
    expect(after.replays - before.replays).toBe(1);
  });
});

it('rejects requests from an SDK without a key', async () => {
  const anonymous = new Stripe('sk_test_x', sim.sdkOptions());
  expect(await rejection(anonymous.customers.create({}))).toMatchObject({ statusCode: 401 });
});
