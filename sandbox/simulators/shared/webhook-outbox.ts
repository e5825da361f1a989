/**
 * Outgoing webhooks for the payment simulators: each event is signed when it is sent (vendors sign with the
 * time of sending), POSTed to every endpoint, and every attempt is logged. In `auto` mode events go out as
 * they happen; in `manual` mode they wait in a queue so a test can deliver them late, twice or in reverse
 * order, which is what a receiver has to survive. Failed deliveries are not retried by themselves: a test that
 * wants the vendor's retry calls `redeliver`.
 */
export interface OutgoingWebhook {
  /** The vendor's event or notification id. */
  id: string;
  type: string;
  url: string;
  body: string;
  /** Builds the headers at sending time (signatures carry a timestamp). */
  headers: (body: string) => Record<string, string>;
}

export interface WebhookDelivery {
  id: string;
  type: string;
  url: string;
  /** HTTP status of the receiver's answer; 0 when it could not be reached or timed out. */
  status: number;
  at: number;
  body: string;
  headers: Record<string, string>;
}

export type DeliveryMode = 'auto' | 'manual';

export interface FlushOptions {
  /** `queued` (default) sends in the order the events happened, `reverse` newest first. */
  order?: 'queued' | 'reverse';
  /** Send each event this many times (default 1). */
  times?: number;
}

export interface WebhookOutbox {
  readonly deliveries: WebhookDelivery[];
  mode(): DeliveryMode;
  setMode(mode: DeliveryMode): void;
  enqueue(hooks: OutgoingWebhook[]): void;
  /** Events waiting in manual mode. */
  pending(): OutgoingWebhook[];
  /** Sends every waiting event, one at a time. */
  flush(opts?: FlushOptions): Promise<WebhookDelivery[]>;
  /** Sends an already sent (or waiting) event again to its endpoints. */
  redeliver(id: string): Promise<WebhookDelivery[]>;
  /** Resolves when the deliveries started in auto mode have finished. */
  idle(): Promise<void>;
  close(): void;
}

const DELIVERY_TIMEOUT_MS = 10_000;

export function createWebhookOutbox(initial: DeliveryMode = 'auto'): WebhookOutbox {
  let mode = initial;
  const queue: OutgoingWebhook[] = [];
  const sent: OutgoingWebhook[] = [];
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const controller = new AbortController();

  const send = async (hook: OutgoingWebhook): Promise<WebhookDelivery> => {
    const headers = { 'content-type': 'application/json', ...hook.headers(hook.body) };
    let status = 0;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: hook.body,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    if (!sent.includes(hook)) sent.push(hook);
    const delivery = {
      id: hook.id,
      type: hook.type,
      url: hook.url,
      status,
      at: Date.now(),
      body: hook.body,
      headers,
    };
    deliveries.push(delivery);
    return delivery;
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  return {
    deliveries,
    mode: () => mode,
    setMode: (m) => {
      mode = m;
    },
    enqueue: (hooks) => {
      if (mode === 'manual') return void queue.push(...hooks);
      // One event after the other, as a vendor's single delivery worker would.
      let chain: Promise<unknown> = Promise.resolve();
      for (const h of hooks) chain = chain.then(() => send(h));
      void track(chain);
    },
    pending: () => [...queue],
    flush: async ({ order = 'queued', times = 1 } = {}) => {
      const batch = queue.splice(0);
      if (order === 'reverse') batch.reverse();
      const out: WebhookDelivery[] = [];
      for (const h of batch) for (let i = 0; i < times; i++) out.push(await track(send(h)));
      return out;
    },
    redeliver: async (id) => {
      const hooks = [...sent, ...queue].filter((h) => h.id === id);
      if (hooks.length === 0) throw new Error(`no webhook event ${id}`);
      const out: WebhookDelivery[] = [];
      for (const h of new Set(hooks)) out.push(await track(send(h)));
      return out;
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: () => controller.abort(),
  };
}
