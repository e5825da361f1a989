import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { type CreditCard, send, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;
let n = 0;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator({ duplicateWindowSeconds: 0 });
});
afterAll(() => sim.close());

const sale = (amount: string, card: CreditCard = VISA, zip = '10001') =>
  transact(sim, {
    transactionType: 'authCaptureTransaction',
    amount,
    payment: { creditCard: card },
    order: { invoiceNumber: `D-${++n}` },
    billTo: { firstName: 'Ada', lastName: 'Lovelace', zip },
  });

describe('Authorize.Net simulator: sandbox decline triggers', () => {
  it('declines ZIP 46282 with reason 2, recording the declined transaction', async () => {
    const r = await sale('10.00', VISA, '46282');
    expect(r.messages).toMatchObject({
      resultCode: 'Error',
      message: [{ code: 'E00027', text: 'The transaction was unsuccessful.' }],
    });
    expect(r.transactionResponse).toMatchObject({
      responseCode: '2',
      errors: [{ errorCode: '2', errorText: 'This transaction has been declined.' }],
    });
    const d = await send(sim, 'getTransactionDetailsRequest', { transId: r.transactionResponse!.transId });
    expect(d.json.transaction).toMatchObject({
      transactionStatus: 'declined',
      responseCode: 2,
      responseReasonCode: 2,
    });
  });

  it.each([
    ['AVS mismatch (ZIP 46205 → N)', '46205', '900', 'N', 'M', '27'],
    ['card code mismatch (901 → N)', '10001', '901', 'Y', 'N', '65'],
    ['both filters', '46205', '901', 'N', 'N', '45'],
  ])('declines on the merchant filters: %s', async (_name, zip, cardCode, avs, cvv, reason) => {
    const r = await sale('11.00', { ...VISA, cardCode }, zip);
    expect(r.transactionResponse).toMatchObject({
      responseCode: '2',
      avsResultCode: avs,
      cvvResultCode: cvv,
      errors: [{ errorCode: reason }],
    });
  });

  it('returns the sandbox AVS and CVV results that pass the filters', async () => {
    const r = await sale('12.00', { ...VISA, cardCode: '904' }, '46201');
    expect(r.transactionResponse).toMatchObject({
      responseCode: '1',
      avsResultCode: 'A',
      cvvResultCode: 'P',
    });
  });

  it.each([
    ['44.00', '2', '44'],
    ['2.00', '2', '2'],
    ['4.00', '2', '4'],
    ['19.00', '3', '19'],
    ['252.00', '4', '252'],
  ])('the error-generation card 4222222222222 for $%s answers response %s reason %s', async (amount, responseCode, reason) => {
    const r = await sale(amount, { cardNumber: '4222222222222', expirationDate: '2035-12' });
    expect(r.transactionResponse!.responseCode).toBe(responseCode);
    const codes = [
      ...(r.transactionResponse!.errors ?? []).map((e) => e.errorCode),
      ...(r.transactionResponse!.messages ?? []).map((m) => m.code),
    ];
    expect(codes).toEqual([reason]);
  });

  it.each([
    ['an invalid card number', { cardNumber: '4111111111111112', expirationDate: '2035-12' }, '6'],
    ['an unreadable expiration date', { cardNumber: '4111111111111111', expirationDate: '2035-13' }, '7'],
    ['an expired card', { cardNumber: '4111111111111111', expirationDate: '2020-01' }, '8'],
  ])('refuses %s with response code 3', async (_name, card, reason) => {
    const r = await sale('13.00', card);
    expect(r.transactionResponse).toMatchObject({
      responseCode: '3',
      transId: '0',
      errors: [{ errorCode: reason }],
    });
  });

  it('refuses a bad amount (5) and a currency the merchant does not take (39)', async () => {
    expect((await sale('0.00')).transactionResponse!.errors![0]!.errorCode).toBe('5');
    expect((await sale('12.345')).transactionResponse!.errors![0]!.errorCode).toBe('5');
    const eur = await send(sim, 'createTransactionRequest', {
      transactionRequest: {
        transactionType: 'authCaptureTransaction',
        amount: '5.00',
        currencyCode: 'EUR',
        payment: { creditCard: VISA },
      },
    });
    expect(eur.json.transactionResponse!.errors![0]!.errorCode).toBe('39');
  });

  it('holds for review above the fraud filter amount, then releases or declines on the merchant’s decision', async () => {
    sim.settings.fraudReviewAboveCents = 50_000;
    try {
      const held = await sale('600.00');
      expect(held.messages.resultCode).toBe('Ok');
      expect(held.transactionResponse).toMatchObject({ responseCode: '4', messages: [{ code: '253' }] });
      const id = held.transactionResponse!.transId;
      expect(sim.ledger().entries.find((e) => e.transId === id)).toMatchObject({
        status: 'FDSAuthorizedPendingReview',
        captured: 0,
      });
      sim.reviewHeld(id, 'approve');
      expect(sim.ledger().entries.find((e) => e.transId === id)).toMatchObject({
        status: 'capturedPendingSettlement',
        captured: 60_000,
      });
      const other = await sale('700.00');
      sim.reviewHeld(other.transactionResponse!.transId, 'decline');
      const d = await send(sim, 'getTransactionDetailsRequest', {
        transId: other.transactionResponse!.transId,
      });
      expect(d.json.transaction).toMatchObject({ transactionStatus: 'declined', responseReasonCode: 254 });
    } finally {
      sim.settings.fraudReviewAboveCents = null;
    }
  });
});
