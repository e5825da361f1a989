import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { cardLast4, type TransactionRequest, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator();
});
afterAll(() => sim.close());

const window = (seconds: number) => ({
  setting: [{ settingName: 'duplicateWindow', settingValue: String(seconds) }],
});
const sale = (invoiceNumber: string, extra: Partial<TransactionRequest> = {}): TransactionRequest => ({
  transactionType: 'authCaptureTransaction',
  amount: '50.00',
  payment: { creditCard: VISA },
  order: { invoiceNumber },
  billTo: { firstName: 'Ada', lastName: 'Lovelace', zip: '10001' },
  ...extra,
});

describe('Authorize.Net simulator: duplicate transaction window', () => {
  it('refuses the same transaction within 120 seconds with reason 11 and transId 0', async () => {
    const first = await transact(sim, sale('DUP-1'));
    const second = await transact(sim, sale('DUP-1'));
    expect(first.transactionResponse!.responseCode).toBe('1');
    expect(second.messages.message[0]!.code).toBe('E00027');
    expect(second.transactionResponse).toMatchObject({
      responseCode: '3',
      transId: '0',
      errors: [{ errorCode: '11', errorText: 'A duplicate transaction has been submitted.' }],
    });
    expect(sim.ledger().entries.filter((e) => e.invoiceNumber === 'DUP-1')).toHaveLength(1);
  });

  it('answers a duplicate with the original transaction when the request sets duplicateWindow', async () => {
    const req = sale('DUP-2', { transactionSettings: window(600) });
    const first = await transact(sim, req);
    const second = await transact(sim, req);
    expect(second.transactionResponse).toMatchObject({
      responseCode: '3',
      transId: first.transactionResponse!.transId,
      authCode: first.transactionResponse!.authCode,
      errors: [{ errorCode: '11' }],
    });
  });

  it('accepts it again once the window has passed, or with another invoice number, or with a window of 0', async () => {
    await transact(sim, sale('DUP-3'));
    sim.advanceTime(121_000);
    expect((await transact(sim, sale('DUP-3'))).transactionResponse!.responseCode).toBe('1');
    expect((await transact(sim, sale('DUP-3b'))).transactionResponse!.responseCode).toBe('1');
    expect(
      (await transact(sim, sale('DUP-3b', { transactionSettings: window(0) }))).transactionResponse!
        .responseCode,
    ).toBe('1');
  });

  it('counts a decline too: correcting nothing and resubmitting within the window is a duplicate', async () => {
    const declined = await transact(sim, sale('DUP-4', { billTo: { zip: '46282' } }));
    expect(declined.transactionResponse!.responseCode).toBe('2');
    expect(
      (await transact(sim, sale('DUP-4', { billTo: { zip: '46282' } }))).transactionResponse!.errors![0]!
        .errorCode,
    ).toBe('11');
  });

  it('applies to refunds: a second refund of the same amount to the same card within the window is refused', async () => {
    const a = await transact(sim, sale('DUP-5a', { amount: '80.00' }));
    const b = await transact(sim, sale('DUP-5b', { amount: '80.00' }));
    sim.settleBatch('card');
    const refund = (refTransId: string): TransactionRequest => ({
      transactionType: 'refundTransaction',
      amount: '10.00',
      payment: cardLast4(VISA),
      refTransId,
    });
    expect(
      (await transact(sim, refund(a.transactionResponse!.transId))).transactionResponse!.responseCode,
    ).toBe('1');
    expect(
      (await transact(sim, refund(b.transactionResponse!.transId))).transactionResponse!.errors![0]!
        .errorCode,
    ).toBe('11');
    expect(
      (await transact(sim, { ...refund(b.transactionResponse!.transId), transactionSettings: window(0) }))
        .transactionResponse!.responseCode,
    ).toBe('1');
  });
});
