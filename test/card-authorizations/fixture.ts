import { randomUUID } from 'node:crypto';
import { plinthSignatureHeader } from '../../src/modules/card-authorizations/providers/generic/signature.js';
import type { TestApp } from '../helpers/app.js';

export const SECRET = 'generic-test-secret-0123456789abcdef';

/** A tenant with a generic relay, both resolvers, an "all spend" category and helpers to add cards and lines. */
export interface CardProgram {
  tenant: { id: string; key: string };
  relayId: string;
  relayUrl: string;
  categories: Record<string, string>;
  /** Registers a card for a fresh owner with one line per category (limit per category). */
  cardholder(
    limits: Record<string, number>,
    opts?: { ownerType?: string; ownerRef?: string; currency?: string },
  ): Promise<{
    cardId: string;
    ownerRef: string;
    lines: Record<string, string>;
  }>;
  /** Signs and posts a generic relay message; returns the status and body. */
  send(message: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  line(id: string): Promise<{ credits_limit: number; expensed_credits: number; available_credits: number }>;
}

export const RULES = [
  { category_code: 'all', mcc: ['0000-9999'] },
  { category_code: 'health', mcc: ['5912', '8011-8099'] },
];

export async function cardProgram(
  t: TestApp,
  opts: {
    relay?: Record<string, unknown>;
    rules?: unknown[];
    categories?: string[];
    /** An existing tenant (with a lending program, say) instead of a new one. */
    tenant?: { id: string; key: string };
  } = {},
): Promise<CardProgram> {
  const tenant = opts.tenant ?? (await t.tenant());
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const r = await t.call(method, url, { key: tenant.key, body });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const relay = await call('POST', '/v1/provider-configs', {
    label: 'relay',
    service_type: 'card_issuing',
    provider_key: 'generic',
    config: { webhook_secret: SECRET, ...opts.relay },
  });
  await call('POST', '/v1/provider-configs', {
    label: 'rules',
    service_type: 'expense_category_resolver',
    provider_key: 'mcc_rules',
    config: { rules: opts.rules ?? RULES },
    is_default: true,
  });
  await call('POST', '/v1/provider-configs', {
    label: 'owner',
    service_type: 'line_of_credit_resolver',
    provider_key: 'card_owner',
    config: {},
    is_default: true,
  });
  const categories: Record<string, string> = {};
  for (const code of opts.categories ?? ['all', 'health'])
    categories[code] = (
      await call('POST', '/v1/card-authorizations/expense-categories', { code, name: code })
    ).id;
  const relayUrl = `/v1/card-authorizations/relay/${relay.id}`;
  return {
    tenant,
    relayId: relay.id,
    relayUrl,
    categories,
    async cardholder(limits, o = {}) {
      const ownerRef = o.ownerRef ?? randomUUID();
      const ownerType = o.ownerType ?? 'customer';
      const cardId = `card_${randomUUID().slice(0, 8)}`;
      await call('POST', '/v1/card-authorizations/cards', {
        card_id: cardId,
        owner_type: ownerType,
        owner_ref: ownerRef,
      });
      const lines: Record<string, string> = {};
      for (const [code, limit] of Object.entries(limits)) {
        lines[code] = (
          await call('POST', '/v1/card-authorizations/lines-of-credit', {
            owner_type: ownerType,
            owner_ref: ownerRef,
            expense_category_id: categories[code],
            currency: o.currency ?? 'EUR',
            credits_limit: limit,
          })
        ).id;
      }
      return { cardId, ownerRef, lines };
    },
    async send(message) {
      const body = JSON.stringify(message);
      const r = await t.call('POST', relayUrl, {
        body,
        headers: {
          'content-type': 'application/json',
          'plinth-signature': plinthSignatureHeader(SECRET, body),
        },
      });
      return { status: r.statusCode, body: r.json() };
    },
    line: (id) => call('GET', `/v1/card-authorizations/lines-of-credit/${id}`),
  };
}

let counter = 0;
/** A generic relay message; `authorization_id` and `id` are fresh unless given. */
export function message(over: Record<string, unknown> & { card_id: string }): Record<string, unknown> {
  counter++;
  return {
    type: 'authorization',
    id: `msg_${counter}_${randomUUID().slice(0, 8)}`,
    authorization_id: `auth_${counter}_${randomUUID().slice(0, 8)}`,
    amount: 1000,
    currency: 'EUR',
    merchant: {
      id: 'MID-1',
      acquirer_id: 'ACQ-1',
      mcc: '5411',
      name: 'Shop',
      country: 'FRA',
      postal_code: null,
      city: 'Paris',
    },
    occurred_at: new Date().toISOString(),
    ...over,
  };
}

/** Waits until every queued decision (and any reconciliation it spawned) has committed. */
export async function settled(t: TestApp): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 20));
    const m = t.ctx.cardAuthorizations;
    quiet = m.engine.inFlight + m.commit.backlog === 0 ? quiet + 1 : 0;
  }
}

/**
 * Makes the database answer slowly for `ms`, while the event loop runs on: on PGlite (one connection) an open
 * transaction holds every other query back; on PostgreSQL another session holds the line's tracker row, which
 * the decision has to update.
 */
export function stall(t: TestApp, lineId: string, ms: number): Promise<void> {
  const db = t.ctx.database;
  if (db.kind === 'pglite') {
    void db.db.transaction(() => new Promise((r) => setTimeout(r, ms)));
    return Promise.resolve();
  }
  return new Promise((locked) => {
    void db.session(async (s) => {
      await s.query('BEGIN');
      await s.query('SELECT 1 FROM card_expense_trackers WHERE line_of_credit_id = $1 FOR UPDATE', [lineId]);
      locked();
      await new Promise((r) => setTimeout(r, ms));
      await s.query('COMMIT');
    });
  });
}
