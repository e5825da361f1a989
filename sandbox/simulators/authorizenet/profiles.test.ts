import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizeNetSimulator, startAuthorizeNetSimulator } from './index.js';
import { send, transact, VISA } from './test-client.js';

let sim: AuthorizeNetSimulator;
let invoice = 0;
const nextInvoice = () => `P-${++invoice}`;

beforeAll(async () => {
  sim = await startAuthorizeNetSimulator();
});
afterAll(() => sim.close());

describe('Authorize.Net simulator: stored payment data and reconciliation', () => {
  it('charges an Accept.js nonce once; a reused nonce is E00114', async () => {
    const res = await fetch(sim.endpoint, {
      method: 'POST',
      body: JSON.stringify({
        securePaymentContainerRequest: {
          merchantAuthentication: { name: sim.settings.apiLoginId, clientKey: sim.settings.clientKey },
          refId: 'n1',
          data: {
            type: 'TOKEN',
            id: 'abc',
            token: { cardNumber: '5424000000000015', expirationDate: '122035', cardCode: '900' },
          },
        },
      }),
    });
    const opaqueData = (
      JSON.parse((await res.text()).replace(/^\uFEFF/, '')) as {
        opaqueData: { dataDescriptor: string; dataValue: string };
      }
    ).opaqueData;
    expect(opaqueData.dataDescriptor).toBe('COMMON.ACCEPT.INAPP.PAYMENT');
    const r = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '12.00',
      payment: { opaqueData },
      order: { invoiceNumber: nextInvoice() },
    });
    expect(r.transactionResponse).toMatchObject({
      responseCode: '1',
      accountNumber: 'XXXX0015',
      accountType: 'MasterCard',
    });
    const reused = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '12.00',
      payment: { opaqueData },
      order: { invoiceNumber: nextInvoice() },
    });
    expect(reused.messages).toMatchObject({
      resultCode: 'Error',
      message: [{ code: 'E00114', text: 'Invalid OTS Token.' }],
    });
  });

  it('stores a customer profile and charges it', async () => {
    const p = await send(sim, 'createCustomerProfileRequest', {
      profile: {
        merchantCustomerId: 'borrower-1',
        email: 'ada@example.com',
        paymentProfiles: { customerType: 'individual', payment: { creditCard: VISA } },
      },
      validationMode: 'none',
    });
    const customerProfileId = p.json.customerProfileId as string;
    const [paymentProfileId] = p.json.customerPaymentProfileIdList as string[];
    const dup = await send(sim, 'createCustomerProfileRequest', {
      profile: { merchantCustomerId: 'borrower-1', email: 'ada@example.com' },
    });
    expect(dup.json.messages.message[0]).toMatchObject({
      code: 'E00039',
      text: `A duplicate record with ID ${customerProfileId} already exists.`,
    });
    const bank = await send(sim, 'createCustomerPaymentProfileRequest', {
      customerProfileId,
      paymentProfile: {
        payment: {
          bankAccount: {
            accountType: 'checking',
            routingNumber: '121042882',
            accountNumber: '99887766',
            nameOnAccount: 'Ada Lovelace',
          },
        },
      },
    });
    expect(bank.json.customerPaymentProfileId).toEqual(expect.any(String));
    const r = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '45.00',
      profile: { customerProfileId, paymentProfile: { paymentProfileId: paymentProfileId! } },
      order: { invoiceNumber: nextInvoice() },
    });
    expect(r.transactionResponse).toMatchObject({ responseCode: '1', accountNumber: 'XXXX1111' });
    const d = await send(sim, 'getTransactionDetailsRequest', { transId: r.transactionResponse!.transId });
    expect(d.json.transaction).toMatchObject({
      profile: { customerProfileId, customerPaymentProfileId: paymentProfileId },
    });
    const missing = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '1.00',
      profile: { customerProfileId, paymentProfile: { paymentProfileId: '1' } },
    });
    expect(missing.messages.message[0]!.code).toBe('E00040');
  });

  it('lists unsettled transactions by invoice number for reconciliation', async () => {
    const invoiceNumber = nextInvoice();
    const r = await transact(sim, {
      transactionType: 'authCaptureTransaction',
      amount: '7.00',
      payment: { creditCard: VISA },
      order: { invoiceNumber },
    });
    const list = await send(sim, 'getUnsettledTransactionListRequest', {});
    const found = (list.json.transactions as { invoiceNumber?: string; transId: string }[]).filter(
      (t) => t.invoiceNumber === invoiceNumber,
    );
    expect(found.map((t) => t.transId)).toEqual([r.transactionResponse!.transId]);
  });
});
