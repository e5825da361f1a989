import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { cardLast4, send, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;
let invoice = 0;
const nextInvoice = () => `INV-${Date.now() % 100000}-${++invoice}`;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator();
});
afterAll(() => sim.close());

const entry = (transId: string) => sim.ledger().entries.find((e) => e.transId === transId);

describe('Authorize.Net simulator: envelope', () => {
  it('answers with a UTF-8 byte-order mark, HTTP 200 and resultCode Ok', async () => {
    const res = await send(sim, 'authenticateTestRequest', {});
    expect(res.status).toBe(200);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.json.messages).toEqual({
      resultCode: 'Ok',
      message: [{ code: 'I00001', text: 'Successful.' }],
    });
  });

  it('refuses wrong credentials with E00007, still HTTP 200', async () => {
    const res = await send(
      sim,
      'createTransactionRequest',
      {
        merchantAuthentication: { name: sim.settings.apiLoginId, transactionKey: 'wrong' },
        transactionRequest: { transactionType: 'authCaptureTransaction', amount: '1.00' },
      },
      false,
    );
    expect(res.status).toBe(200);
    expect(res.json.messages).toMatchObject({ resultCode: 'Error', message: [{ code: 'E00007' }] });
  });

  it('refuses elements out of schema order with E00003, naming the element', async () => {
    const res = await send(sim, 'createTransactionRequest', {
      transactionRequest: {
        amount: '5.00',
        transactionType: 'authCaptureTransaction',
        payment: { creditCard: VISA },
      },
    });
    expect(res.json.messages.message[0]!.code).toBe('E00003');
    expect(res.json.messages.message[0]!.text).toContain("has invalid child element 'transactionType'");
    expect(sim.store.transactions.size).toBe(0);
  });
});

describe('Authorize.Net simulator: card transactions', () => {
  it('auth-captures a card and reports it by getTransactionDetails', async () => {
    const r = await transact(
      sim,
      {
        transactionType: 'authCaptureTransaction',
        amount: '125.50',
        payment: { creditCard: VISA },
        order: { invoiceNumber: nextInvoice() },
        billTo: { firstName: 'Ada', lastName: 'Lovelace', zip: '10001' },
      },
      'ref-1',
    );
    expect(r.refId).toBe('ref-1');
    expect(r.messages.resultCode).toBe('Ok');
    expect(r.transactionResponse).toMatchObject({
      responseCode: '1',
      avsResultCode: 'Y',
      cvvResultCode: 'M',
      accountNumber: 'XXXX1111',
      accountType: 'Visa',
      messages: [{ code: '1', description: 'This transaction has been approved.' }],
    });
    expect(r.transactionResponse!.authCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(r.transactionResponse!.transHashSha2).toMatch(/^[0-9A-F]{128}$/);
    const d = await send(sim, 'getTransactionDetailsRequest', { transId: r.transactionResponse!.transId });
    expect(d.json.transaction).toMatchObject({
      transactionType: 'authCaptureTransaction',
      transactionStatus: 'capturedPendingSettlement',
      responseCode: 1,
      authAmount: 125.5,
      settleAmount: 125.5,
      payment: { creditCard: { cardNumber: 'XXXX1111', expirationDate: 'XXXX' } },
    });
  });

  it('authorizes, captures part of it once, and answers a repeated capture with 311 approved', async () => {
    const auth = await transact(sim, {
      transactionType: 'authOnlyTransaction',
      amount: '100.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: nextInvoice() },
    });
    const transId = auth.transactionResponse!.transId;
    const over = await transact(sim, {
      transactionType: 'priorAuthCaptureTransaction',
      amount: '100.01',
      refTransId: transId,
    });
    expect(over.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '47' }] });
    const cap = await transact(sim, {
      transactionType: 'priorAuthCaptureTransaction',
      amount: '60.00',
      refTransId: transId,
    });
    expect(cap.transactionResponse).toMatchObject({ responseCode: '1', transId, refTransID: transId });
    const again = await transact(sim, {
      transactionType: 'priorAuthCaptureTransaction',
      amount: '60.00',
      refTransId: transId,
    });
    expect(again.messages.resultCode).toBe('Ok');
    expect(again.transactionResponse).toMatchObject({
      responseCode: '1',
      messages: [{ code: '311', description: 'This transaction has already been captured.' }],
    });
    expect(entry(transId)).toMatchObject({ authorized: 10_000, captured: 6_000, captures: 1 });
  });

  it('voids an authorization and an unsettled capture; a second void is 310; a settled one cannot be voided', async () => {
    const auth = await transact(sim, {
      transactionType: 'authOnlyTransaction',
      amount: '20.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: nextInvoice() },
    });
    const v = await transact(sim, {
      transactionType: 'voidTransaction',
      refTransId: auth.transactionResponse!.transId,
    });
    expect(v.transactionResponse).toMatchObject({
      responseCode: '1',
      transId: auth.transactionResponse!.transId,
    });
    const v2 = await transact(sim, {
      transactionType: 'voidTransaction',
      refTransId: auth.transactionResponse!.transId,
    });
    expect(v2.transactionResponse).toMatchObject({ responseCode: '1', messages: [{ code: '310' }] });
    const cap = await transact(sim, {
      transactionType: 'priorAuthCaptureTransaction',
      refTransId: auth.transactionResponse!.transId,
    });
    expect(cap.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '16' }] });

    const sale = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '30.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: nextInvoice() },
    });
    await transact(sim, {
      transactionType: 'voidTransaction',
      refTransId: sale.transactionResponse!.transId,
    });
    expect(entry(sale.transactionResponse!.transId)).toMatchObject({ status: 'voided', captured: 0 });

    const settled = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '31.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: nextInvoice() },
    });
    sim.settleBatch('card');
    const late = await transact(sim, {
      transactionType: 'voidTransaction',
      refTransId: settled.transactionResponse!.transId,
    });
    expect(late.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '16' }] });
  });

  it('refunds a settled transaction in parts up to what settled, with the card’s last four digits', async () => {
    const sale = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '90.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber: nextInvoice() },
    });
    const transId = sale.transactionResponse!.transId;
    const early = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '10.00',
      payment: cardLast4(VISA),
      refTransId: transId,
    });
    expect(early.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '54' }] });
    sim.settleBatch('card');
    const wrongCard = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '10.00',
      payment: { creditCard: { cardNumber: '0015', expirationDate: 'XXXX' } },
      refTransId: transId,
    });
    expect(wrongCard.transactionResponse!.errors![0]!.errorCode).toBe('54');
    const r1 = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '40.00',
      payment: cardLast4(VISA),
      refTransId: transId,
    });
    expect(r1.transactionResponse).toMatchObject({ responseCode: '1', refTransID: transId });
    expect(r1.transactionResponse!.transId).not.toBe(transId);
    const r2 = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '35.00',
      payment: cardLast4(VISA),
      refTransId: transId,
    });
    expect(r2.transactionResponse!.responseCode).toBe('1');
    const over = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '15.01',
      payment: cardLast4(VISA),
      refTransId: transId,
    });
    expect(over.transactionResponse).toMatchObject({ responseCode: '3', errors: [{ errorCode: '55' }] });
    expect(entry(transId)).toMatchObject({ captured: 9_000, refunded: 7_500, refunds: 2, net: 1_500 });
    const d = await send(sim, 'getTransactionDetailsRequest', { transId: r1.transactionResponse!.transId });
    expect(d.json.transaction).toMatchObject({
      transactionType: 'refundTransaction',
      transactionStatus: 'refundPendingSettlement',
      refTransId: transId,
    });
  });
});
