import { type FaultControls, faultControls } from '../shared/fault-controls.js';
import { type Fault, type SimServer, startSimServer } from '../shared/server.js';
import { createSimTimers } from '../shared/timers.js';
import type { DeliveryMode, WebhookOutbox } from '../shared/webhook-outbox.js';
import { toSimRoutes } from './api.js';
import { type BankSettlement, settleAllBank, settleBankPayment } from './bank.js';
import { customerRoutes } from './customers.js';
import { closeDispute, createDispute } from './disputes.js';
import type { StripeEngine } from './engine.js';
import { createStripeEvents, type WebhookEndpointRec } from './events.js';
import { IdempotencyStore } from './idempotency.js';
import { type StripeLedger, stripeLedger } from './ledger.js';
import { paymentIntentRoutes } from './payment-intents.js';
import { refundRoutes } from './refunds.js';
import { createStore, type StripeStore } from './store.js';

/**
 * A wire-compatible stand-in for Stripe's payments API (Customers, PaymentMethods, PaymentIntents, Refunds,
 * Events, webhook endpoints) for the official `stripe` SDK: `new Stripe(sim.apiKey, sim.sdkOptions())`.
 * See README.md for the test payment methods, the controls and what it does not model.
 */
export { signStripePayload } from './events.js';
export type { StripeLedger, StripeLedgerEntry } from './ledger.js';
export { TEST_BANK_ACCOUNTS, TEST_CARDS } from './test-methods.js';
export type { BankSettlement };

export const DEFAULT_STRIPE_KEY = 'sk_test_51PlinthSimulator0000000000000000000000';

export interface StripeSimulatorOptions {
  port?: number;
  /** Secret keys the simulator accepts (default: `DEFAULT_STRIPE_KEY`). */
  apiKeys?: string[];
  /** Milliseconds until a bank debit settles or fails on its own; null (default): only when a test settles it. */
  bankSettlementDelayMs?: number | null;
  /** `auto` (default) sends webhooks as events happen; `manual` queues them for `webhooks.flush()`. */
  webhookDelivery?: DeliveryMode;
  webhookEndpoints?: { url: string; enabledEvents?: string[]; secret?: string }[];
  currencies?: string[];
}

/** Which requests a fault applies to (default: every POST). */
export interface FaultTarget {
  method?: string;
  path?: string | RegExp;
  times?: number;
}

export interface StripeSimulator extends SimServer, FaultControls<FaultTarget> {
  readonly apiKey: string;
  /** Options for `new Stripe(key, ...)` pointing the SDK here. */
  sdkOptions(): { host: string; port: number; protocol: 'http' };
  readonly store: StripeStore;
  readonly webhooks: WebhookOutbox;
  readonly webhookEndpoints: WebhookEndpointRec[];
  events(): Record<string, unknown>[];
  addWebhookEndpoint(url: string, opts?: { enabledEvents?: string[]; secret?: string }): WebhookEndpointRec;
  /** Settles one processing bank debit with its account's outcome, or as told (`'succeed'` / `{ returnCode }`). */
  settleBankPayment(paymentIntentId: string, outcome?: BankSettlement): boolean;
  /** Settles every processing bank debit with its natural outcome, and completes pending bank refunds. */
  settleBankPayments(): { payments: number; refunds: number };
  setBankSettlementDelay(ms: number | null): void;
  /** Opens a dispute on a PaymentIntent's (or charge's) captured charge; returns the dispute id. */
  dispute(paymentIntentOrChargeId: string, reason?: string): string;
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): void;
  ledger(): StripeLedger;
  /** Counters of API requests answered (replays counted apart). */
  counters(): { requests: number; replays: number; byStatus: Record<number, number> };
}

const post = (t: FaultTarget | undefined): Fault => ({
  method: t?.method ?? 'POST',
  path: t?.path,
  times: t?.times ?? 1,
});

export async function startStripeSimulator(opts: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const apiKeys = opts.apiKeys ?? [DEFAULT_STRIPE_KEY];
  const events = createStripeEvents(opts.webhookDelivery ?? 'auto');
  for (const e of opts.webhookEndpoints ?? []) events.addEndpoint(e);
  const engine: StripeEngine = {
    store: createStore(),
    events,
    timers: createSimTimers(),
    settings: {
      bankSettlementDelayMs: opts.bankSettlementDelayMs ?? null,
      currencies: opts.currencies ?? ['usd', 'eur', 'gbp', 'cad', 'aud', 'jpy'],
    },
  };
  const counters = { requests: 0, replays: 0, byStatus: {} as Record<number, number> };
  const routes = toSimRoutes(
    [...customerRoutes(engine), ...paymentIntentRoutes(engine), ...refundRoutes(engine), ...events.routes],
    {
      apiKeys,
      idempotency: new IdempotencyStore(),
      onRequest: ({ status, replayed }) => {
        counters.requests++;
        if (replayed) counters.replays++;
        counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
      },
    },
  );
  const server = await startSimServer(routes, {
    port: opts.port,
    notFound: (req) => ({
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      },
    }),
  });

  const chargeOf = (id: string) =>
    id.startsWith('pi_') ? engine.store.paymentIntents.get(id)?.latestCharge : id;

  return {
    ...server,
    apiKey: apiKeys[0]!,
    sdkOptions: () => ({ host: '127.0.0.1', port: server.port, protocol: 'http' }),
    store: engine.store,
    webhooks: events.outbox,
    webhookEndpoints: events.endpoints,
    events: events.all,
    addWebhookEndpoint: (url, o = {}) => events.addEndpoint({ url, ...o }),
    settleBankPayment: (id, outcome) => settleBankPayment(engine, id, outcome),
    settleBankPayments: () => settleAllBank(engine),
    setBankSettlementDelay: (ms) => {
      engine.settings.bankSettlementDelayMs = ms;
    },
    dispute: (id, reason = 'fraudulent') => createDispute(engine, chargeOf(id) ?? id, reason).id,
    closeDispute: (id, outcome) => {
      closeDispute(engine, id, outcome);
    },
    ledger: () => stripeLedger(engine.store),
    counters: () => ({ ...counters, byStatus: { ...counters.byStatus } }),
    ...faultControls<FaultTarget>(server, post, {
      rateLimited: {
        headers: { 'request-id': 'req_ratelimited' },
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message:
              'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
          },
        },
      },
      failed: () => ({ error: { type: 'api_error', message: 'An unknown error occurred' } }),
      defaultFailureStatus: 500,
    }),
    close: async () => {
      engine.timers.clear();
      await events.outbox.idle();
      events.outbox.close();
      await server.close();
    },
  };
}
