import { createHmac, randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, SimRoute } from '../shared/server.js';
import { createWebhookOutbox, type DeliveryMode, type WebhookOutbox } from '../shared/webhook-outbox.js';
import type { Txn } from './store.js';

/**
 * Authorize.Net webhooks: endpoints registered through the REST API (`/rest/v1/webhooks`, HTTP Basic with the
 * API login and transaction key) or the simulator's options; notifications `{notificationId, eventType,
 * eventDate, webhookId, payload}` signed `X-ANET-Signature: sha512=<uppercase hex HMAC-SHA512 of the body
 * under the signature key>`. Payment events only: Authorize.Net has none for settlement or eCheck returns.
 */
export const PAYMENT_EVENTS = [
  'net.authorize.payment.authorization.created',
  'net.authorize.payment.authcapture.created',
  'net.authorize.payment.capture.created',
  'net.authorize.payment.priorAuthCapture.created',
  'net.authorize.payment.refund.created',
  'net.authorize.payment.void.created',
  'net.authorize.payment.fraud.held',
  'net.authorize.payment.fraud.approved',
  'net.authorize.payment.fraud.declined',
] as const;

export interface AnetWebhookEndpoint {
  webhookId: string;
  name: string;
  url: string;
  eventTypes: string[];
  status: 'active' | 'inactive';
}

export interface AnetWebhooks {
  readonly outbox: WebhookOutbox;
  readonly endpoints: AnetWebhookEndpoint[];
  add(opts: { url: string; eventTypes?: string[]; name?: string }): AnetWebhookEndpoint;
  emit(eventType: string, t: Txn, amountCents: number): void;
  /** The event a new authorization or auth-capture raises (fraud.held when held for review). */
  transaction(t: Txn, amountCents: number): void;
  routes(credentials: { apiLoginId: string; transactionKey: string }): SimRoute[];
}

export const signAnetPayload = (body: string, signatureKey: string): string =>
  `sha512=${createHmac('sha512', signatureKey).update(body).digest('hex').toUpperCase()}`;

const endpointBody = (e: AnetWebhookEndpoint) => ({
  _links: { self: { href: `/rest/v1/webhooks/${e.webhookId}` } },
  webhookId: e.webhookId,
  name: e.name,
  status: e.status,
  url: e.url,
  eventTypes: e.eventTypes,
});

export function createAnetWebhooks(signatureKey: () => string, mode: DeliveryMode): AnetWebhooks {
  const outbox = createWebhookOutbox(mode);
  const endpoints: AnetWebhookEndpoint[] = [];
  const add: AnetWebhooks['add'] = ({ url, eventTypes = [...PAYMENT_EVENTS], name = 'Plinth' }) => {
    const e: AnetWebhookEndpoint = { webhookId: randomUUID(), name, url, eventTypes, status: 'active' };
    endpoints.push(e);
    return e;
  };
  const emit: AnetWebhooks['emit'] = (eventType, t, amountCents) => {
    const notificationId = randomUUID();
    for (const e of endpoints.filter((x) => x.status === 'active' && x.eventTypes.includes(eventType))) {
      const body = JSON.stringify({
        notificationId,
        eventType,
        eventDate: new Date().toISOString(),
        webhookId: e.webhookId,
        payload: {
          responseCode: t.responseCode,
          authCode: t.authCode,
          avsResponse: t.avs,
          authAmount: amountCents / 100,
          ...(t.invoiceNumber ? { invoiceNumber: t.invoiceNumber } : {}),
          ...(eventType.startsWith('net.authorize.payment.fraud')
            ? {
                fraudList: [
                  {
                    fraudFilter: 'AmountFilter',
                    fraudAction: eventType.endsWith('held') ? 'review' : eventType.split('.').pop(),
                  },
                ],
              }
            : {}),
          entityName: 'transaction',
          id: t.transId,
        },
      });
      outbox.enqueue([
        {
          id: notificationId,
          type: eventType,
          url: e.url,
          body,
          headers: (b) => ({ 'x-anet-signature': signAnetPayload(b, signatureKey()) }),
        },
      ]);
    }
  };

  const routes: AnetWebhooks['routes'] = ({ apiLoginId, transactionKey }) => {
    const authorized = (req: SimRequest) =>
      req.headers.authorization ===
      `Basic ${Buffer.from(`${apiLoginId}:${transactionKey}`).toString('base64')}`;
    const denied: SimResponse = {
      status: 401,
      body: { status: 401, reason: 'UNAUTHORIZED', message: 'Invalid credentials.' },
    };
    return [
      {
        method: 'POST',
        path: '/rest/v1/webhooks',
        handler: (req) => {
          if (!authorized(req)) return denied;
          const body = JSON.parse(req.body.toString('utf8') || '{}') as Partial<AnetWebhookEndpoint>;
          const types = body.eventTypes ?? [];
          if (
            !body.url ||
            types.length === 0 ||
            types.some((t) => !(PAYMENT_EVENTS as readonly string[]).includes(t))
          )
            return {
              status: 400,
              body: {
                status: 400,
                reason: 'INVALID_DATA',
                message: 'A valid url and eventTypes are required.',
              },
            };
          const e = add({ url: body.url, eventTypes: types, name: body.name });
          if (body.status === 'inactive') e.status = 'inactive';
          return { status: 200, body: endpointBody(e) };
        },
      },
      {
        method: 'GET',
        path: '/rest/v1/webhooks',
        handler: (req) => (authorized(req) ? { status: 200, body: endpoints.map(endpointBody) } : denied),
      },
    ];
  };

  return {
    outbox,
    endpoints,
    add,
    emit,
    transaction: (t, amount) => {
      if (t.responseCode === 4) return emit('net.authorize.payment.fraud.held', t, amount);
      emit(
        t.type === 'authOnlyTransaction'
          ? 'net.authorize.payment.authorization.created'
          : 'net.authorize.payment.authcapture.created',
        t,
        amount,
      );
    },
    routes,
  };
}
