import { randomBytes } from 'node:crypto';
import {
  type AuthorizeNetSimulator,
  signAnetPayload,
  startAuthorizeNetSimulator,
} from '../../../sandbox/simulators/authorizenet/index.js';
import { CHECKING, send, VISA } from '../../../sandbox/simulators/authorizenet/test-client.js';
import {
  type StripeSimulator,
  signStripePayload,
  startStripeSimulator,
} from '../../../sandbox/simulators/stripe/index.js';
import type { AttachRequest, MethodKind } from '../../../src/modules/payments/domain/processor.js';

/**
 * One payment processor's simulator and what the tests need from it, the same way for both vendors: a config
 * that points Plinth at it, payment-method sources (tokens and stored profiles) that succeed or decline, the
 * bank's settlement and returns, its ledger, faults, and signed webhooks.
 */
export interface ProcessorHarness {
  key: 'stripe' | 'authorizenet';
  /** The provider config (as POST /v1/provider-configs takes it) pointing at the simulator. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** A source for a card that charges fine. */
  card(): Promise<AttachRequest['source']>;
  /** A card that attaches but is declined when charged. */
  decliningCard(): Promise<AttachRequest['source']>;
  /** A bank account whose debits settle (or come back, when returned by the test). */
  bank(): Promise<AttachRequest['source']>;
  /** Settles what is pending: card batches and bank debits. */
  settle(): void;
  /** Sends a settled or pending bank debit back with a NACHA code. */
  returnDebit(processorId: string, code: string): void;
  /** What the simulator has captured and refunded (disputes not won count as refunded here). */
  totals(): { captured: number; refunded: number; net: number; captures: number };
  /** Captures per payment at the simulator, by processor id. */
  capturesOf(processorId: string): number;
  /** The next charge request is processed, then its answer is lost (the client times out). */
  dropNextCharge(): void;
  /** The next capture request never arrives (the client times out). */
  loseNextCapture(): void;
  clearFaults(): void;
  /** A webhook body and headers as the vendor would send them for `processorId`, signed with `secret`. */
  signed(processorId: string, opts?: { forged?: boolean }): { body: string; headers: Record<string, string> };
  close(): Promise<void>;
  stripe?: StripeSimulator;
  anet?: AuthorizeNetSimulator;
}

export const MANDATE = { ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0 (Plinth test)' };

export async function stripeHarness(): Promise<ProcessorHarness> {
  const sim = await startStripeSimulator({ bankSettlementDelayMs: null, webhookDelivery: 'manual' });
  const whsec = `whsec_${randomBytes(24).toString('hex')}`;
  return {
    key: 'stripe',
    stripe: sim,
    config: (extra = {}) => ({
      secret_key: sim.apiKey,
      webhook_secret: whsec,
      api_base_url: sim.url,
      timeout_ms: 2000,
      network_retries: 0,
      ...extra,
    }),
    card: async () => ({ token: 'pm_card_visa' }),
    decliningCard: async () => ({ token: 'pm_card_chargeCustomerFail' }),
    bank: async () => ({ token: 'pm_usBankAccount_success' }),
    settle: () => {
      sim.settleBankPayments();
    },
    returnDebit: (id, code) => {
      sim.settleBankPayment(id, { returnCode: code });
    },
    totals: () => {
      const l = sim.ledger();
      return {
        captured: l.captured,
        refunded: l.refunded + l.disputed,
        net: l.net,
        captures: l.entries.reduce((n, e) => n + e.captures, 0),
      };
    },
    capturesOf: (id) => sim.ledger().entries.find((e) => e.paymentIntent === id)?.captures ?? 0,
    dropNextCharge: () => sim.dropAnswer({ path: '/v1/payment_intents', how: 'hang' }),
    loseNextCapture: () => sim.timeout({ path: /^\/v1\/payment_intents\/[^/]+\/capture$/ }),
    clearFaults: () => sim.clearFaults(),
    signed: (id, opts = {}) => {
      const body = JSON.stringify({
        id: `evt_${randomBytes(12).toString('hex')}`,
        object: 'event',
        api_version: '2026-10-28',
        created: Math.floor(Date.now() / 1000),
        type: 'payment_intent.succeeded',
        data: { object: { id, object: 'payment_intent' } },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signStripePayload(body, opts.forged ? `whsec_${'0'.repeat(48)}` : whsec),
        },
      };
    },
    close: () => sim.close(),
  };
}

export async function authorizeNetHarness(): Promise<ProcessorHarness> {
  const sim = await startAuthorizeNetSimulator({ echeckDeclineAboveCents: null, webhookDelivery: 'manual' });
  let customers = 0;
  return {
    key: 'authorizenet',
    anet: sim,
    config: (extra = {}) => ({
      api_login_id: sim.settings.apiLoginId,
      transaction_key: sim.settings.transactionKey,
      signature_key: sim.settings.signatureKey,
      endpoint: sim.endpoint,
      timeout_ms: 2000,
      ...extra,
    }),
    card: async () => ({ token: sim.nonce(VISA).dataValue }),
    // The sandbox's error-generation card declines $2.00 with reason 2 (the tests charge $2.00 with it).
    decliningCard: async () => ({
      token: sim.nonce({ cardNumber: '4222222222222', expirationDate: '2035-12' }).dataValue,
    }),
    bank: async () => {
      // The borrower's bank account stored by the lender's front end (the account number never reaches Plinth).
      const r = await send(sim, 'createCustomerProfileRequest', {
        profile: {
          merchantCustomerId: `bank${++customers}${randomBytes(3).toString('hex')}`,
          paymentProfiles: [{ customerType: 'individual', payment: { bankAccount: CHECKING } }],
        },
        validationMode: 'none',
      });
      const ids = r.json as unknown as { customerProfileId: string; customerPaymentProfileIdList: string[] };
      return {
        customerRef: ids.customerProfileId,
        methodRef: ids.customerPaymentProfileIdList[0]!,
        routingNumber: CHECKING.routingNumber,
      };
    },
    settle: () => {
      sim.settleBatch('all');
    },
    returnDebit: (id, code) => sim.returnECheck(id, code),
    totals: () => {
      const l = sim.ledger();
      return {
        captured: l.captured,
        refunded: l.refunded + l.returned,
        net: l.net,
        captures: l.entries.reduce((n, e) => n + e.captures, 0),
      };
    },
    capturesOf: (id) => sim.ledger().entries.find((e) => e.transId === id)?.captures ?? 0,
    dropNextCharge: () => sim.dropAnswer({ request: 'createTransactionRequest', how: 'hang' }),
    loseNextCapture: () => sim.timeout({ transactionType: 'priorAuthCaptureTransaction' }),
    clearFaults: () => sim.clearFaults(),
    signed: (id, opts = {}) => {
      const body = JSON.stringify({
        notificationId: randomBytes(16).toString('hex'),
        eventType: 'net.authorize.payment.authcapture.created',
        eventDate: new Date().toISOString(),
        webhookId: randomBytes(8).toString('hex'),
        payload: {
          responseCode: 1,
          authCode: 'ABC123',
          avsResponse: 'Y',
          authAmount: 1,
          entityName: 'transaction',
          id,
        },
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-anet-signature': signAnetPayload(
            body,
            opts.forged ? 'F'.repeat(128) : sim.settings.signatureKey,
          ),
        },
      };
    },
    close: () => sim.close(),
  };
}

export const HARNESSES: [string, () => Promise<ProcessorHarness>][] = [
  ['stripe', stripeHarness],
  ['authorizenet', authorizeNetHarness],
];

export const kindOf = (source: AttachRequest['source']): MethodKind =>
  'token' in source && source.token.startsWith('pm_usBank') ? 'bank_account' : 'card';
