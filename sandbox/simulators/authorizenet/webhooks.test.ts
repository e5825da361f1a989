import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../shared/webhook-receiver.js';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { cardLast4, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;
let receiver: WebhookReceiver;
let n = 0;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sim = await startAuthorizeNetSimulator({ webhookDelivery: 'manual', fraudReviewAboveCents: 100_000 });
  const res = await fetch(`${sim.url}/rest/v1/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${sim.settings.apiLoginId}:${sim.settings.transactionKey}`).toString('base64')}`,
    },
    body: JSON.stringify({
      name: 'plinth',
      url: receiver.url,
      eventTypes: [
        'net.authorize.payment.authorization.created',
        'net.authorize.payment.authcapture.created',
        'net.authorize.payment.priorAuthCapture.created',
        'net.authorize.payment.refund.created',
        'net.authorize.payment.void.created',
        'net.authorize.payment.fraud.held',
      ],
      status: 'active',
    }),
  });
  expect(res.status).toBe(200);
});
beforeEach(async () => {
  await sim.webhooks.flush();
  receiver.received.length = 0;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

/** Verified the way a receiver must: HMAC-SHA512 of the raw body under the signature key, compared upper-case. */
function verified(i: number): { eventType: string; payload: Record<string, unknown> } {
  const r = receiver.received[i]!;
  const expected = `sha512=${createHmac('sha512', sim.settings.signatureKey).update(r.body).digest('hex').toUpperCase()}`;
  expect(r.headers['x-anet-signature']).toBe(expected);
  return JSON.parse(r.body);
}
const events = () => receiver.received.map((_, i) => verified(i));
const sale = (
  amount: string,
  type: 'authCaptureTransaction' | 'authOnlyTransaction' = 'authCaptureTransaction',
) =>
  transact(sim, {
    transactionType: type,
    amount,
    payment: { creditCard: VISA },
    order: { invoiceNumber: `WH-${++n}` },
  });

describe('Authorize.Net simulator: webhooks', () => {
  it('lists the registered webhook and rejects other credentials', async () => {
    const list = await fetch(`${sim.url}/rest/v1/webhooks`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.settings.apiLoginId}:${sim.settings.transactionKey}`).toString('base64')}`,
      },
    });
    expect(((await list.json()) as { url: string }[]).map((w) => w.url)).toEqual([receiver.url]);
    expect(
      (await fetch(`${sim.url}/rest/v1/webhooks`, { headers: { authorization: 'Basic eDp5' } })).status,
    ).toBe(401);
  });

  it('signs each notification with X-ANET-Signature and carries the transaction', async () => {
    const r = await sale('45.00');
    await sim.webhooks.flush();
    const [e] = events();
    expect(e).toMatchObject({
      eventType: 'net.authorize.payment.authcapture.created',
      payload: {
        responseCode: 1,
        authAmount: 45,
        entityName: 'transaction',
        id: r.transactionResponse!.transId,
        invoiceNumber: `WH-${n}`,
      },
    });
    expect(receiver.received[0]!.headers['x-anet-signature']).toMatch(/^sha512=[0-9A-F]{128}$/);
  });

  it('notifies authorizations, captures, refunds, voids and fraud holds', async () => {
    const auth = await sale('20.00', 'authOnlyTransaction');
    await transact(sim, {
      transactionType: 'priorAuthCaptureTransaction',
      amount: '15.00',
      refTransId: auth.transactionResponse!.transId,
    });
    const other = await sale('30.00');
    sim.settleBatch('card');
    await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '5.00',
      payment: cardLast4(VISA),
      refTransId: other.transactionResponse!.transId,
    });
    const toVoid = await sale('8.00', 'authOnlyTransaction');
    await transact(sim, {
      transactionType: 'voidTransaction',
      refTransId: toVoid.transactionResponse!.transId,
    });
    await sale('1500.00');
    await sim.webhooks.flush();
    expect(events().map((e) => e.eventType)).toEqual([
      'net.authorize.payment.authorization.created',
      'net.authorize.payment.priorAuthCapture.created',
      'net.authorize.payment.authcapture.created',
      'net.authorize.payment.refund.created',
      'net.authorize.payment.authorization.created',
      'net.authorize.payment.void.created',
      'net.authorize.payment.fraud.held',
    ]);
    expect(events()[1]!.payload.authAmount).toBe(15);
    expect(events()[6]!.payload).toMatchObject({
      responseCode: 4,
      fraudList: [{ fraudFilter: 'AmountFilter', fraudAction: 'review' }],
    });
  });

  it('delivers twice and out of order on request', async () => {
    await sale('3.00');
    await sale('4.00');
    await sim.webhooks.flush({ order: 'reverse', times: 2 });
    expect(events().map((e) => e.payload.authAmount)).toEqual([4, 4, 3, 3]);
    expect(
      new Set(events().map((e) => (e as unknown as { notificationId: string }).notificationId)).size,
    ).toBe(2);
  });
});
