import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { CHECKING, send, transact } from './test-client.js';

let sim: AuthorizeNetSimulator;
let n = 0;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator();
});
afterAll(() => sim.close());

const debit = (amount: string, account = CHECKING) =>
  transact(sim, {
    transactionType: 'authCaptureTransaction',
    amount,
    payment: { bankAccount: account },
    order: { invoiceNumber: `ACH-${++n}` },
  });
const details = async (transId: string) =>
  (await send(sim, 'getTransactionDetailsRequest', { transId })).json.transaction as Record<string, unknown>;

describe('Authorize.Net simulator: eCheck (bankAccount)', () => {
  it('debits a checking account and stays capturedPendingSettlement until the eCheck batch settles', async () => {
    const r = await debit('95.00');
    expect(r.transactionResponse).toMatchObject({
      responseCode: '1',
      accountType: 'eCheck',
      accountNumber: 'XXXX9012',
      avsResultCode: 'P',
    });
    const id = r.transactionResponse!.transId;
    expect(await details(id)).toMatchObject({
      transactionStatus: 'capturedPendingSettlement',
      payment: { bankAccount: { accountNumber: 'XXXX9012', echeckType: 'WEB' } },
    });
    sim.settleBatch('card');
    expect((await details(id)).transactionStatus).toBe('capturedPendingSettlement');
    const [batchId] = sim.settleBatch('bank');
    expect(await details(id)).toMatchObject({
      transactionStatus: 'settledSuccessfully',
      batch: { batchId, settlementState: 'settledSuccessfully' },
    });
  });

  it('declines eChecks above $100 as the sandbox does (configurable)', async () => {
    const r = await debit('100.01');
    expect(r.transactionResponse).toMatchObject({ responseCode: '2', errors: [{ errorCode: '2' }] });
    sim.settings.echeckDeclineAboveCents = null;
    try {
      expect((await debit('2500.00')).transactionResponse!.responseCode).toBe('1');
    } finally {
      sim.settings.echeckDeclineAboveCents = 10_000;
    }
  });

  it('refuses an invalid routing number (9) or account number (10)', async () => {
    expect(
      (await debit('10.00', { ...CHECKING, routingNumber: '121042883' })).transactionResponse!.errors![0]!
        .errorCode,
    ).toBe('9');
    expect(
      (await debit('10.00', { ...CHECKING, accountNumber: '12ab' })).transactionResponse!.errors![0]!
        .errorCode,
    ).toBe('10');
  });

  it('shows a returned debit as returnedItem with its return code', async () => {
    const r = await debit('60.00');
    const id = r.transactionResponse!.transId;
    sim.settleBatch('bank');
    sim.returnECheck(id, 'R01');
    expect(await details(id)).toMatchObject({
      transactionStatus: 'returnedItem',
      returnedItems: { returnedItem: [{ code: 'R01', description: 'Insufficient Funds' }] },
    });
    expect(sim.ledger().entries.find((e) => e.transId === id)).toMatchObject({
      captured: 6_000,
      returned: 6_000,
      net: 0,
      returnCode: 'R01',
    });
  });

  it('settles on its own after the configured delay', async () => {
    sim.settings.echeckSettlementDelayMs = 30;
    try {
      const r = await debit('20.00');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await details(r.transactionResponse!.transId)).transactionStatus).toBe('settledSuccessfully');
    } finally {
      sim.settings.echeckSettlementDelayMs = null;
    }
  });

  it('refunds a settled eCheck to the same routing number and account (last four)', async () => {
    const r = await debit('70.00');
    sim.settleBatch('bank');
    const refund = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '25.00',
      payment: { bankAccount: { ...CHECKING, accountNumber: '9012' } },
      refTransId: r.transactionResponse!.transId,
    });
    expect(refund.transactionResponse).toMatchObject({ responseCode: '1', accountType: 'eCheck' });
    const other = await transact(sim, {
      transactionType: 'refundTransaction',
      amount: '5.00',
      payment: { bankAccount: { ...CHECKING, accountNumber: '1111' } },
      refTransId: r.transactionResponse!.transId,
    });
    expect(other.transactionResponse!.errors![0]!.errorCode).toBe('54');
  });
});
