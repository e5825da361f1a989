import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/kernel/errors.js';
import { createLogger } from '../../src/kernel/logging.js';
import type {
  AttachRequest,
  ChargeRequest,
  PaymentProcessor,
  PaymentRef,
  VendorMethod,
} from '../../src/modules/payments/domain/processor.js';
import { newReference } from '../../src/modules/payments/domain/reference.js';
import { PAYMENT_PROCESSORS } from '../../src/modules/payments/registry.js';
import { definitionProblems } from '../../src/providers/index.js';
import { HARNESSES, MANDATE, type ProcessorHarness } from './support/processors.js';

/**
 * The `payment_processor` contract: what every processor must do, run against each one's simulator through the
 * official SDK or client the provider uses. A new processor passes this suite before it is registered.
 */
describe.each(HARNESSES)('payment_processor contract: %s', (key, start) => {
  let h: ProcessorHarness;
  let p: PaymentProcessor;
  const deps = { logger: createLogger('silent'), now: () => new Date() };
  const customer = {
    id: '0190a0f0-0000-7000-8000-000000000001',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
  };

  beforeAll(async () => {
    h = await start();
    const def = PAYMENT_PROCESSORS.find((d) => d.key === key)!;
    p = def.create(def.configSchema.parse(h.config()), deps);
  });
  afterAll(async () => {
    await p?.close();
    await h?.close();
  });

  let customerRef: string | null = null;
  const attach = async (source: AttachRequest['source']): Promise<VendorMethod> => {
    const r = await p.attachPaymentMethod({ customer, customerRef, source, reference: newReference('M') });
    if (r.outcome !== 'attached') throw new Error(`attach declined: ${r.decline.code}`);
    customerRef = r.method.customerRef;
    return r.method;
  };
  const charge = (
    method: VendorMethod,
    amount: number,
    capture: boolean,
    more: Partial<ChargeRequest> = {},
  ) => {
    const request: ChargeRequest = {
      reference: newReference('P'),
      amount,
      currency: 'USD',
      method,
      capture,
      mandate:
        method.kind === 'bank_account'
          ? { ipAddress: MANDATE.ip_address, userAgent: MANDATE.user_agent }
          : null,
      description: 'loan payment',
      metadata: { plinth_payment_id: 'test' },
      ...more,
    };
    return { request, result: p.authorize(request) };
  };
  const refOf = (request: ChargeRequest, processorId: string | null): PaymentRef => ({
    processorId,
    reference: request.reference,
    kind: request.method.kind,
    method: request.method,
  });

  it('has a sound definition', () => {
    const def = PAYMENT_PROCESSORS.find((d) => d.key === key)!;
    expect(definitionProblems(def)).toEqual([]);
    expect(def.metadata.methods).toEqual(['card', 'bank_account']);
  });

  it('stores a card and a bank account as references and masked details only', async () => {
    const card = await attach(await h.card());
    expect(card).toMatchObject({ kind: 'card', last4: expect.stringMatching(/^\d{4}$/) });
    const bank = await attach(await h.bank());
    expect(bank).toMatchObject({ kind: 'bank_account', last4: expect.stringMatching(/^\d{4}$/) });
    expect(bank.routingNumber).toMatch(/^\d{9}$/);
    // A token is stored under the customer Plinth made at the processor; a stored profile stays where it was made.
    const bankSource = await h.bank();
    if ('token' in bankSource) expect(bank.customerRef).toBe(card.customerRef);
  });

  it('authorizes, captures part, and retrieve shows the capture', async () => {
    const card = await attach(await h.card());
    const { request, result } = charge(card, 12_345, false);
    const auth = await result;
    expect(auth).toMatchObject({ outcome: 'approved', status: 'authorized', amountAuthorized: 12_345 });
    if (auth.outcome !== 'approved') return;
    const ref = refOf(request, auth.processorId);
    expect(await p.retrieve(ref)).toMatchObject({ status: 'authorized', amountAuthorized: 12_345 });
    expect(await p.capture(ref, 10_000)).toEqual({ amountCaptured: 10_000 });
    // Capturing again with the same reference is safe: still one capture.
    await p.capture(ref, 10_000);
    expect(await p.retrieve(ref)).toMatchObject({ status: 'captured', amountCaptured: 10_000 });
    expect(h.capturesOf(auth.processorId)).toBe(1);
  });

  it('voids an authorization, repeatably', async () => {
    const card = await attach(await h.card());
    const { request, result } = charge(card, 5_000, false);
    const auth = await result;
    if (auth.outcome !== 'approved') throw new Error('expected an approval');
    const ref = refOf(request, auth.processorId);
    expect(await p.void(ref)).toEqual({ voided: true });
    expect(await p.void(ref)).toEqual({ voided: true });
    expect(await p.retrieve(ref)).toMatchObject({ status: 'voided' });
  });

  it('captures at once and refunds in parts, never above what was captured', async () => {
    const card = await attach(await h.card());
    const { request, result } = charge(card, 20_000, true);
    const paid = await result;
    expect(paid).toMatchObject({ outcome: 'approved', status: 'captured', amountCaptured: 20_000 });
    if (paid.outcome !== 'approved') return;
    h.settle(); // Authorize.Net refunds only what settled
    const ref = refOf(request, paid.processorId);
    const r1 = await p.refund(ref, {
      reference: newReference('R'),
      amount: 5_000,
      currency: 'USD',
      whole: false,
    });
    const r2 = await p.refund(ref, {
      reference: newReference('R'),
      amount: 5_000,
      currency: 'USD',
      whole: false,
    });
    expect(r1.refundId).not.toBe(r2.refundId);
    const over = p.refund(ref, {
      reference: newReference('R'),
      amount: 10_001,
      currency: 'USD',
      whole: false,
    });
    await expect(over).rejects.toMatchObject({ kind: 'rejected' });
    if (key === 'stripe') expect(await p.retrieve(ref)).toMatchObject({ amountRefunded: 10_000 });
  });

  it('declines with the taxonomy, and says which payment declined', async () => {
    const bad = await attach(await h.decliningCard());
    const { result } = charge(bad, 200, true);
    const declined = await result;
    expect(declined).toMatchObject({ outcome: 'declined', decline: { code: 'card_declined' } });
  });

  it('initiates a bank debit as processing; it settles, or comes back with its return code', async () => {
    const bank = await attach(await h.bank());
    const a = charge(bank, 48_000, true);
    const first = await a.result;
    expect(first).toMatchObject({ outcome: 'approved', status: 'processing', amountCaptured: 48_000 });
    const b = charge(bank, 30_000, true, { mandate: null });
    const second = await b.result;
    if (first.outcome !== 'approved' || second.outcome !== 'approved') throw new Error('expected approvals');
    h.returnDebit(second.processorId, 'R01');
    h.settle();
    expect(await p.retrieve(refOf(a.request, first.processorId))).toMatchObject({ status: 'succeeded' });
    const returned = await p.retrieve(refOf(b.request, second.processorId));
    expect(returned).toMatchObject({
      status: 'returned',
      returnCode: 'R01',
      decline: { code: 'insufficient_funds' },
    });
  });

  it('answers a re-sent charge with the first one’s outcome: one charge at the processor', async () => {
    const card = await attach(await h.card());
    const { request, result } = charge(card, 7_000, true);
    const first = await result;
    const again = await p.authorize(request);
    if (first.outcome !== 'approved' || again.outcome !== 'approved') throw new Error('expected approvals');
    expect(again.processorId).toBe(first.processorId);
    expect(h.capturesOf(first.processorId)).toBe(1);
  });

  it('recovers a charge whose answer was lost: re-sent with its reference, charged once', async () => {
    const card = await attach(await h.card());
    const before = h.totals().captures;
    h.dropNextCharge();
    const { request, result } = charge(card, 9_100, true);
    // The client may itself re-send once (Authorize.Net: the duplicate window answers with the original); either
    // way nothing is charged twice.
    const lost = await result.catch((e: unknown) => e);
    if (lost instanceof ProviderError) expect(lost.transient).toBe(true);
    else expect(lost).toMatchObject({ outcome: 'approved', status: 'captured' });
    h.clearFaults();
    const found = await p.retrieve(refOf(request, null));
    // Authorize.Net finds it by invoice number; Stripe cannot look up by reference and re-sends instead.
    if (key === 'authorizenet') expect(found).toMatchObject({ status: 'captured', amountCaptured: 9_100 });
    else expect(found).toBeNull();
    const resent = await p.authorize(request);
    expect(resent).toMatchObject({ outcome: 'approved', status: 'captured' });
    expect(h.totals().captures).toBe(before + 1);
  });

  it('verifies webhook signatures and names the payment', async () => {
    const good = h.signed('pi_or_trans_1');
    const event = p.parseWebhook(Buffer.from(good.body), good.headers, new Date());
    expect(event).toMatchObject({ ok: true, value: { processorId: 'pi_or_trans_1' } });
    const forged = h.signed('pi_or_trans_1', { forged: true });
    const refused = p.parseWebhook(Buffer.from(forged.body), forged.headers, new Date());
    expect(refused.ok ? null : [refused.error.kind, refused.error.code]).toEqual([
      'unauthorized',
      'invalid_signature',
    ]);
    const tampered = p.parseWebhook(
      Buffer.from(good.body.replace('pi_or_trans_1', 'pi_or_trans_2')),
      good.headers,
      new Date(),
    );
    expect(tampered.ok).toBe(false);
  });

  it('maps 429 and 5xx to transient errors', async () => {
    const card = await attach(await h.card());
    const sim = h.stripe ?? h.anet!;
    // Twice: a client may wait out one Retry-After by itself.
    sim.rateLimit({ retryAfter: 1, times: 2 });
    const limited = await charge(card, 1_000, true).result.catch((e: unknown) => e);
    expect(limited).toMatchObject({ kind: 'rate_limited' });
    h.clearFaults();
    sim.failWith({ status: 503, times: 2 });
    const down = await charge(card, 1_000, true).result.catch((e: unknown) => e);
    expect(down).toMatchObject({ kind: 'unavailable' });
    h.clearFaults();
  });
});
