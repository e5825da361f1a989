import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { type TransactionRequest, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator();
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const withTimeout = (ms: number) => ({ signal: AbortSignal.timeout(ms) });
const post = (req: TransactionRequest, init: RequestInit = {}) =>
  fetch(sim.endpoint, {
    method: 'POST',
    body: JSON.stringify({
      createTransactionRequest: {
        merchantAuthentication: {
          name: sim.settings.apiLoginId,
          transactionKey: sim.settings.transactionKey,
        },
        transactionRequest: req,
      },
    }),
    ...init,
  });
const window = { setting: [{ settingName: 'duplicateWindow', settingValue: '28800' }] };

describe('Authorize.Net simulator: faults', () => {
  it('charges and drops the answer: a retry inside the duplicate window gets the original transaction, not a second charge', async () => {
    const req: TransactionRequest = {
      transactionType: 'authCaptureTransaction',
      amount: '42.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: 'LOST-1' },
      transactionSettings: window,
    };
    sim.dropAnswer({ transactionType: 'authCaptureTransaction' });
    // The client gives up only once the gateway has the request (a timer alone could fire before it arrives).
    const client = new AbortController();
    const lost = post(req, { signal: client.signal });
    await vi.waitFor(() =>
      expect(sim.ledger().entries.filter((e) => e.invoiceNumber === 'LOST-1')).toHaveLength(1),
    );
    client.abort();
    await expect(lost).rejects.toThrow();
    const retry = await transact(sim, req);
    expect(retry.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '11' }] });
    const charged = sim.ledger().entries.filter((e) => e.invoiceNumber === 'LOST-1');
    expect(charged).toHaveLength(1);
    expect(retry.transactionResponse!.transId).toBe(charged[0]!.transId);
  });

  it('captures and drops the answer: the retried capture is answered 311 and nothing is captured twice', async () => {
    const auth = await transact(sim, {
      transactionType: 'authOnlyTransaction',
      amount: '30.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: 'LOST-2' },
    });
    const id = auth.transactionResponse!.transId;
    sim.dropAnswer({ transactionType: 'priorAuthCaptureTransaction', how: 'reset' });
    await expect(post({ transactionType: 'priorAuthCaptureTransaction', refTransId: id })).rejects.toThrow();
    const retry = await transact(sim, { transactionType: 'priorAuthCaptureTransaction', refTransId: id });
    expect(retry.transactionResponse).toMatchObject({ responseCode: '1', messages: [{ code: '311' }] });
    expect(sim.ledger().entries.find((e) => e.transId === id)).toMatchObject({
      captured: 3_000,
      captures: 1,
    });
  });

  it('times out without processing: nothing is recorded', async () => {
    const before = sim.store.transactions.size;
    sim.timeout({ request: 'createTransactionRequest' });
    await expect(
      post(
        { transactionType: 'authCaptureTransaction', amount: '5.00', payment: { creditCard: VISA } },
        withTimeout(200),
      ),
    ).rejects.toThrow();
    expect(sim.store.transactions.size).toBe(before);
  });

  it('answers late after processing', async () => {
    sim.dropAnswer({ transactionType: 'authCaptureTransaction', how: 'late', delayMs: 200 });
    const started = performance.now();
    const res = await post({
      transactionType: 'authCaptureTransaction',
      amount: '6.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: 'LATE-1' },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(200);
  });

  it('injects 5xx and 429 with Retry-After for N requests, then answers normally', async () => {
    sim.failWith({ status: 503, times: 2 });
    expect((await post({ transactionType: 'voidTransaction', refTransId: '1' })).status).toBe(503);
    expect((await post({ transactionType: 'voidTransaction', refTransId: '1' })).status).toBe(503);
    sim.rateLimit({ retryAfter: 7 });
    const limited = await post({ transactionType: 'voidTransaction', refTransId: '1' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await post({ transactionType: 'voidTransaction', refTransId: '1' })).status).toBe(200);
  });

  it('slows only the matching requests', async () => {
    sim.slow({ request: 'getTransactionDetailsRequest', delayMs: 200 });
    const started = performance.now();
    await transact(sim, { transactionType: 'voidTransaction', refTransId: '1' });
    expect(performance.now() - started).toBeLessThan(150);
    expect(sim.pendingFaults()).toBe(1);
  });
});
