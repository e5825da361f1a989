import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { createWebhookOutbox, type DeliveryMode, type WebhookOutbox } from '../shared/webhook-outbox.js';
import type { StripeRoute } from './api.js';
import { list, metadataOf, str } from './api.js';
import { missingParam, notFound } from './errors.js';
import { nowSeconds, stripeId } from './store.js';

/**
 * Stripe Events and the webhooks that carry them: every state change emits an Event (kept for
 * `GET /v1/events`), which is POSTed to each enabled webhook endpoint signed the way Stripe signs:
 * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's whsec_ secret>`.
 */
export interface EventOrigin {
  id: string | null;
  idempotency_key: string | null;
}

export const NO_REQUEST: EventOrigin = { id: null, idempotency_key: null };

export interface WebhookEndpointRec {
  id: string;
  url: string;
  secret: string;
  enabledEvents: string[];
  created: number;
  metadata: Record<string, string>;
}

export interface StripeEvents {
  readonly outbox: WebhookOutbox;
  readonly endpoints: WebhookEndpointRec[];
  emit(
    type: string,
    object: Record<string, unknown>,
    origin: EventOrigin,
    previous?: Record<string, unknown>,
  ): void;
  all(): Record<string, unknown>[];
  addEndpoint(opts: { url: string; enabledEvents?: string[]; secret?: string }): WebhookEndpointRec;
  routes: StripeRoute[];
}

export function signStripePayload(payload: string, secret: string, timestamp = nowSeconds()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

const endpointObject = (e: WebhookEndpointRec, withSecret: boolean) => ({
  id: e.id,
  object: 'webhook_endpoint',
  api_version: null,
  application: null,
  created: e.created,
  description: null,
  enabled_events: e.enabledEvents,
  livemode: false,
  metadata: e.metadata,
  ...(withSecret ? { secret: e.secret } : {}),
  status: 'enabled',
  url: e.url,
});

export function createStripeEvents(mode: DeliveryMode): StripeEvents {
  const outbox = createWebhookOutbox(mode);
  const endpoints: WebhookEndpointRec[] = [];
  const events: Record<string, unknown>[] = [];

  const addEndpoint: StripeEvents['addEndpoint'] = ({ url, enabledEvents = ['*'], secret }) => {
    const e: WebhookEndpointRec = {
      id: stripeId('we'),
      url,
      secret: secret ?? stripeId('whsec', 32),
      enabledEvents,
      created: nowSeconds(),
      metadata: {},
    };
    endpoints.push(e);
    return e;
  };

  const emit: StripeEvents['emit'] = (type, object, origin, previous) => {
    const targets = endpoints.filter((e) => e.enabledEvents.includes('*') || e.enabledEvents.includes(type));
    const event = {
      id: stripeId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: previous ? { object, previous_attributes: previous } : { object },
      livemode: false,
      pending_webhooks: targets.length,
      request: origin,
      type,
    };
    events.push(event);
    const body = JSON.stringify(event, null, 2);
    outbox.enqueue(
      targets.map((e) => ({
        id: event.id,
        type,
        url: e.url,
        body,
        headers: (b: string) => ({
          'stripe-signature': signStripePayload(b, e.secret),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        }),
      })),
    );
  };

  const routes: StripeRoute[] = [
    {
      method: 'POST',
      path: '/v1/webhook_endpoints',
      handler: ({ form }) => {
        const url = str(form, 'url');
        if (!url) throw missingParam('url');
        const enabled = list(form, 'enabled_events');
        if (!enabled?.length) throw missingParam('enabled_events');
        const e = addEndpoint({ url, enabledEvents: enabled });
        e.metadata = metadataOf(form);
        return { body: endpointObject(e, true) };
      },
    },
    {
      method: 'GET',
      path: '/v1/webhook_endpoints/:id',
      handler: ({ params }) => {
        const e = endpoints.find((x) => x.id === params.id);
        if (!e) throw notFound('webhook_endpoint', params.id!);
        return { body: endpointObject(e, false) };
      },
    },
    {
      method: 'GET',
      path: '/v1/events/:id',
      handler: ({ params }) => {
        const e = events.find((x) => x.id === params.id);
        if (!e) throw notFound('event', params.id!);
        return { body: e };
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      handler: ({ form }) => {
        const type = str(form, 'type');
        const limit = Math.min(100, Number(str(form, 'limit') ?? 10));
        const matching = events.filter((e) => !type || e.type === type).reverse();
        return {
          body: {
            object: 'list',
            data: matching.slice(0, limit),
            has_more: matching.length > limit,
            url: '/v1/events',
          },
        };
      },
    },
  ];

  return { outbox, endpoints, emit, all: () => [...events], addEndpoint, routes };
}
