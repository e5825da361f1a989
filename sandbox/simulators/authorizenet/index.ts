import { randomBytes } from 'node:crypto';
import { type FaultControls, faultControls } from '../shared/fault-controls.js';
import { type Fault, type SimRequest, type SimServer, startSimServer } from '../shared/server.js';
import { createSimTimers } from '../shared/timers.js';
import type { DeliveryMode, WebhookOutbox } from '../shared/webhook-outbox.js';
import { NonceVault } from './cards.js';
import { getTransactionDetails, getUnsettledTransactionList } from './details.js';
import type { AnetEngine, AnetSettings } from './engine.js';
import {
  AnetError,
  answer,
  authenticationFailed,
  child,
  failed,
  type Json,
  ok,
  parseEnvelope,
  text,
} from './envelope.js';
import { type AnetLedger, anetLedger } from './ledger.js';
import { createCustomerPaymentProfile, createCustomerProfile, getCustomerProfile } from './profiles.js';
import { returnECheck, reviewHeld, type SettlementKind, settleBatch } from './settlement.js';
import { type AnetStore, createAnetStore } from './store.js';
import { createTransaction } from './transactions.js';
import { type AnetWebhookEndpoint, createAnetWebhooks } from './webhooks.js';

/**
 * A wire-compatible stand-in for Authorize.Net's JSON API (`POST /xml/v1/request.api`) and its webhooks REST
 * API. See README.md for the requests, the sandbox triggers it honours, the controls and what it leaves out.
 */
export { AVS_BY_ZIP, CVV_BY_CODE, DECLINE_ZIP, TEST_CARDS } from './cards.js';
export type { AnetLedger, AnetLedgerEntry } from './ledger.js';
export { PAYMENT_EVENTS, signAnetPayload } from './webhooks.js';

export const ENDPOINT_PATH = '/xml/v1/request.api';

export interface AuthorizeNetSimulatorOptions extends Partial<Omit<AnetSettings, 'signatureKey'>> {
  port?: number;
  signatureKey?: string;
  /** `auto` (default) sends webhooks as transactions happen; `manual` queues them for `webhooks.flush()`. */
  webhookDelivery?: DeliveryMode;
  webhookEndpoints?: { url: string; eventTypes?: string[] }[];
}

/** Which requests a fault applies to: a root element, a transaction type, or (default) every API request. */
export interface AnetFaultTarget {
  request?: string;
  transactionType?: string;
  times?: number;
}

export interface AuthorizeNetSimulator extends SimServer, FaultControls<AnetFaultTarget> {
  /** The URL to POST requests to (`<url>/xml/v1/request.api`). */
  readonly endpoint: string;
  readonly settings: AnetSettings;
  readonly store: AnetStore;
  readonly webhooks: WebhookOutbox;
  readonly webhookEndpoints: AnetWebhookEndpoint[];
  addWebhookEndpoint(url: string, eventTypes?: string[]): AnetWebhookEndpoint;
  /** An Accept.js nonce for a card, as `securePaymentContainerRequest` hands it out. */
  nonce(card: { cardNumber: string; expirationDate: string; cardCode?: string }): {
    dataDescriptor: string;
    dataValue: string;
  };
  /** Settles pending card transactions and/or eChecks in a batch; returns the batch ids. */
  settleBatch(kind?: SettlementKind | 'all'): string[];
  returnECheck(transId: string, returnCode: string): void;
  reviewHeld(transId: string, decision: 'approve' | 'decline'): void;
  /** Moves the gateway's clock (duplicate windows, nonce expiry, timestamps). */
  advanceTime(ms: number): void;
  ledger(): AnetLedger;
  counters(): { requests: number; byRequest: Record<string, number> };
}

function peek(req: SimRequest): { root?: string; type?: string } {
  try {
    const { root, body } = parseEnvelope(req);
    return { root, type: text(child(body, 'transactionRequest')?.transactionType) };
  } catch {
    return {};
  }
}

export async function startAuthorizeNetSimulator(
  opts: AuthorizeNetSimulatorOptions = {},
): Promise<AuthorizeNetSimulator> {
  const settings: AnetSettings = {
    apiLoginId: opts.apiLoginId ?? '5KP3u95bQpv',
    transactionKey: opts.transactionKey ?? '346HZ32z3fP4hTG2',
    clientKey: opts.clientKey ?? '5FcB6WrfHGS76gHW3v7btBCE3HuuBuke9Pj96Ztfn5R32G5ep42vne7MCWZtAucY',
    signatureKey: opts.signatureKey ?? randomBytes(64).toString('hex').toUpperCase(),
    duplicateWindowSeconds: opts.duplicateWindowSeconds ?? 120,
    avsReject: opts.avsReject ?? ['N'],
    cvvReject: opts.cvvReject ?? ['N'],
    echeckDeclineAboveCents:
      opts.echeckDeclineAboveCents === undefined ? 10_000 : opts.echeckDeclineAboveCents,
    fraudReviewAboveCents: opts.fraudReviewAboveCents ?? null,
    echeckSettlementDelayMs: opts.echeckSettlementDelayMs ?? null,
    cardSettlementDelayMs: opts.cardSettlementDelayMs ?? null,
  };
  let offset = 0;
  const webhooks = createAnetWebhooks(() => settings.signatureKey, opts.webhookDelivery ?? 'auto');
  for (const w of opts.webhookEndpoints ?? []) webhooks.add(w);
  const engine: AnetEngine = {
    store: createAnetStore(),
    nonces: new NonceVault(),
    webhooks,
    timers: createSimTimers(),
    settings,
    now: () => new Date(Date.now() + offset),
  };
  const counters = { requests: 0, byRequest: {} as Record<string, number> };

  const handle = (root: string, body: Json): Json => {
    const refId = text(body.refId);
    const auth = child(body, 'merchantAuthentication');
    if (!auth || Object.keys(body)[0] !== 'merchantAuthentication')
      return failed(
        'E00003',
        `The element '${root}' has invalid child element. List of possible elements expected: 'merchantAuthentication'.`,
      );
    const secretOk =
      root === 'securePaymentContainerRequest'
        ? text(auth.clientKey) === settings.clientKey
        : text(auth.transactionKey) === settings.transactionKey;
    if (text(auth.name) !== settings.apiLoginId || !secretOk) return authenticationFailed();
    switch (root) {
      case 'authenticateTestRequest':
        return ok({});
      case 'createTransactionRequest':
        return createTransaction(engine, body);
      case 'getTransactionDetailsRequest':
        return getTransactionDetails(engine, body, refId);
      case 'getUnsettledTransactionListRequest':
        return getUnsettledTransactionList(engine, refId);
      case 'createCustomerProfileRequest':
        return createCustomerProfile(engine, body, refId);
      case 'createCustomerPaymentProfileRequest':
        return createCustomerPaymentProfile(engine, body, refId);
      case 'getCustomerProfileRequest':
        return getCustomerProfile(engine, body, refId);
      case 'securePaymentContainerRequest': {
        const token = child(child(body, 'data') ?? {}, 'token');
        if (!token)
          throw new AnetError(
            'E00003',
            "The element 'data' has incomplete content. List of possible elements expected: 'token'.",
          );
        return ok({ opaqueData: engine.nonces.issue(token, engine.now().getTime()) }, refId);
      }
      default:
        return failed(
          'E00003',
          `The element '${root}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' is not declared.`,
        );
    }
  };

  const server = await startSimServer(
    [
      {
        method: 'POST',
        path: ENDPOINT_PATH,
        handler: (req) => {
          counters.requests++;
          let parsed: { root: string; body: Json } | undefined;
          try {
            parsed = parseEnvelope(req);
            counters.byRequest[parsed.root] = (counters.byRequest[parsed.root] ?? 0) + 1;
            return answer(handle(parsed.root, parsed.body));
          } catch (e) {
            if (e instanceof AnetError)
              return answer(failed(e.code, e.message, {}, parsed ? text(parsed.body.refId) : undefined));
            throw e;
          }
        },
      },
      ...webhooks.routes(settings),
    ],
    { port: opts.port },
  );

  const target = (t: AnetFaultTarget | undefined): Fault => ({
    method: 'POST',
    path: ENDPOINT_PATH,
    times: t?.times ?? 1,
    match:
      t?.request || t?.transactionType
        ? (req) => {
            const p = peek(req);
            return (
              (!t.request || p.root === t.request) && (!t.transactionType || p.type === t.transactionType)
            );
          }
        : undefined,
  });
  const endpoint = `${server.url}${ENDPOINT_PATH}`;

  return {
    ...server,
    endpoint,
    settings,
    store: engine.store,
    webhooks: webhooks.outbox,
    webhookEndpoints: webhooks.endpoints,
    addWebhookEndpoint: (url, eventTypes) => webhooks.add({ url, eventTypes }),
    nonce: (card) => engine.nonces.issue(card, engine.now().getTime()),
    settleBatch: (kind = 'all') =>
      (kind === 'all' ? (['card', 'bank'] as const) : [kind])
        .map((k) => settleBatch(engine, k))
        .filter((b): b is string => b !== null),
    returnECheck: (transId, code) => {
      returnECheck(engine, transId, code);
    },
    reviewHeld: (transId, decision) => {
      reviewHeld(engine, transId, decision);
    },
    advanceTime: (ms) => {
      offset += ms;
    },
    ledger: () => anetLedger(engine.store),
    counters: () => ({ requests: counters.requests, byRequest: { ...counters.byRequest } }),
    ...faultControls<AnetFaultTarget>(server, target, {
      rateLimited: { body: 'Too Many Requests' },
      failed: () => 'Service Unavailable',
      defaultFailureStatus: 503,
    }),
    close: async () => {
      engine.timers.clear();
      await webhooks.outbox.idle();
      webhooks.outbox.close();
      await server.close();
    },
  };
}
