import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GARBAGE_BODIES } from '../../sandbox/simulators/shared/card-client.js';
import { rows } from '../../src/kernel/db.js';
import type { ExpenseCategoryResolver } from '../../src/modules/card-authorizations/index.js';
import {
  plinthSignature,
  plinthSignatureHeader,
} from '../../src/modules/card-authorizations/providers/generic/signature.js';
import type { ProviderDefinition } from '../../src/providers/types.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message, SECRET } from './fixture.js';

/** Expense-category resolvers that misbehave, to show a resolver can never fail the relay. */
const misbehaving = (key: string, resolve: ExpenseCategoryResolver['resolveExpenseCategories']) =>
  ({
    serviceType: 'expense_category_resolver',
    key,
    displayName: key,
    metadata: { documentation: 'test', requiredSettings: [], testedWith: 'built-in' },
    configSchema: z.strictObject({}),
    secretFields: [],
    create: () => ({ resolveExpenseCategories: resolve }),
  }) satisfies ProviderDefinition<object, ExpenseCategoryResolver>;

let t: TestApp;
let p: CardProgram;
beforeAll(async () => {
  t = await startTestApp({
    extraProviders: [
      misbehaving('throwing', () => {
        throw new Error('boom');
      }),
      misbehaving('rejecting', async () => Promise.reject(new Error('down'))),
      misbehaving('hanging', () => new Promise(() => {})),
    ],
  });
  p = await cardProgram(t);
});
afterAll(() => t.close());

const count = async (table: string) =>
  (await rows<{ n: number }>(t.ctx.database.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;

const signedPost = (url: string, body: string, headers: Record<string, string> = {}) =>
  t.call('POST', url, {
    body,
    headers: {
      'content-type': 'application/json',
      'plinth-signature': plinthSignatureHeader(SECRET, body),
      ...headers,
    },
  });

describe('signatures and addressing', () => {
  it('answers a bad signature with 401 and records nothing', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const before = [await count('card_authorization_messages'), await count('card_authorization_requests')];
    const body = JSON.stringify(message({ card_id: c.cardId }));
    const ts = Math.floor(Date.now() / 1000);
    for (const header of [
      `t=${ts},v1=${plinthSignature('wrong-secret-0123456789abcdef0123', ts, body)}`,
      `t=${ts - 3600},v1=${plinthSignature(SECRET, ts - 3600, body)}`,
      `t=${ts}`,
      '',
    ]) {
      const r = await t.call('POST', p.relayUrl, {
        body,
        headers: { 'content-type': 'application/json', ...(header && { 'plinth-signature': header }) },
      });
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe('invalid_signature');
    }
    expect([await count('card_authorization_messages'), await count('card_authorization_requests')]).toEqual(
      before,
    );
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
  });

  it('answers an unknown relay with 404', async () => {
    expect((await signedPost(`/v1/card-authorizations/relay/${randomUUID()}`, '{}')).statusCode).toBe(404);
    expect((await signedPost('/v1/card-authorizations/relay/not-a-uuid', '{}')).statusCode).toBe(404);
  });
});

describe('bad input is declined with a reason, never a 500', () => {
  it.each(Object.entries(GARBAGE_BODIES))('garbage body %s', async (_name, raw) => {
    const r = await signedPost(p.relayUrl, raw);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ decision: 'declined', approved_amount: 0 });
  });

  it('declines a body in another content type too', async () => {
    const r = await signedPost(p.relayUrl, 'amount=5', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(r.json()).toMatchObject({ decision: 'declined', reason: 'invalid_request' });
  });

  it.each([
    [{ amount: -500 }, 'invalid_amount'],
    [{ amount: 0 }, 'invalid_amount'],
    [{ amount: 12.5 }, 'invalid_amount'],
    [{ currency: 'XYZ' }, 'invalid_currency'],
    [{ merchant: { id: 'M', mcc: '5411', country: 'FR' } }, 'invalid_merchant'],
    [{ merchant: { id: 'M', mcc: 'food', country: 'FRA' } }, 'invalid_merchant'],
  ])('%o is declined with %s, and recorded', async (over, reason) => {
    const c = await p.cardholder({ all: 10_000 });
    const m = message({ card_id: c.cardId, ...over });
    const r = await p.send(m);
    expect(r).toMatchObject({ status: 200, body: { decision: 'declined', reason, approved_amount: 0 } });
    const [stored] = await rows<{ kind: string; reason_code: string }>(
      t.ctx.database.db,
      sql`SELECT kind, reason_code FROM card_authorization_messages WHERE message_id = ${m.id as string}`,
    );
    expect(stored).toEqual({ kind: 'invalid', reason_code: reason });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
  });

  it('declines an unknown card', async () => {
    const r = await p.send(message({ card_id: 'card_nobody' }));
    expect(r.body).toMatchObject({ decision: 'declined', reason: 'unknown_card' });
  });
});

describe('decision rules', () => {
  it('charges every category the payment belongs to, each on its own line', async () => {
    const c = await p.cardholder({ all: 10_000, health: 3_000 });
    const pharmacy = { id: 'PH-1', mcc: '5912', country: 'FRA' };
    expect(
      (await p.send(message({ card_id: c.cardId, amount: 2_000, merchant: pharmacy }))).body,
    ).toMatchObject({
      decision: 'approved',
    });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(2_000);
    expect((await p.line(c.lines.health!)).expensed_credits).toBe(2_000);
    // The health line has 1,000 left: the payment is declined, and neither line moves.
    expect(
      (await p.send(message({ card_id: c.cardId, amount: 1_500, merchant: pharmacy }))).body,
    ).toMatchObject({
      decision: 'declined',
      reason: 'insufficient_credits',
    });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(2_000);
    expect((await p.line(c.lines.health!)).expensed_credits).toBe(2_000);
  });

  it('declines when a category has no line (one line per category, or nothing)', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const r = await p.send(
      message({ card_id: c.cardId, merchant: { id: 'PH', mcc: '8011', country: 'FRA' } }),
    );
    expect(r.body).toMatchObject({ decision: 'declined', reason: 'no_line_of_credit' });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
  });

  it('approves part of the amount when the terminal allows it', async () => {
    const c = await p.cardholder({ all: 1_000 });
    const partial = await p.send(message({ card_id: c.cardId, amount: 1_500, partial_allowed: true }));
    expect(partial.body).toMatchObject({ decision: 'approved', approved_amount: 1_000 });
    expect((await p.line(c.lines.all!)).available_credits).toBe(0);
  });

  it('declines on a terminated line, and in another currency than the lines', async () => {
    const c = await p.cardholder({ all: 10_000 });
    expect((await p.send(message({ card_id: c.cardId, currency: 'USD' }))).body).toMatchObject({
      reason: 'currency_mismatch',
    });
    await t.call('POST', `/v1/card-authorizations/lines-of-credit/${c.lines.all}/terminate`, {
      key: p.tenant.key,
    });
    expect((await p.send(message({ card_id: c.cardId }))).body).toMatchObject({
      reason: 'no_line_of_credit',
    });
  });

  it('declines when no expense category applies, or the category is unknown or terminated', async () => {
    const q = await cardProgram(t, {
      rules: [
        { category_code: 'all', mcc: ['5411'] },
        { category_code: 'ghost', mcc: ['5812'] },
        { category_code: 'gone', mcc: ['5999'] },
      ],
      categories: ['all', 'gone'],
    });
    const c = await q.cardholder({ all: 10_000 });
    expect(
      (await q.send(message({ card_id: c.cardId, merchant: { id: 'M', mcc: '7011', country: 'FRA' } }))).body,
    ).toMatchObject({
      reason: 'no_category',
    });
    expect(
      (await q.send(message({ card_id: c.cardId, merchant: { id: 'M', mcc: '5812', country: 'FRA' } }))).body,
    ).toMatchObject({
      reason: 'no_category',
    });
    await t.call('POST', `/v1/card-authorizations/expense-categories/${q.categories.gone}/terminate`, {
      key: q.tenant.key,
    });
    expect(
      (await q.send(message({ card_id: c.cardId, merchant: { id: 'M', mcc: '5999', country: 'FRA' } }))).body,
    ).toMatchObject({
      reason: 'category_terminated',
    });
  });
});

describe('resolvers', () => {
  it('declines with a clear reason when the tenant configured none', async () => {
    const tenant = await t.tenant('No resolvers');
    const relay = (
      await t.call('POST', '/v1/provider-configs', {
        key: tenant.key,
        body: {
          label: 'r',
          service_type: 'card_issuing',
          provider_key: 'generic',
          config: { webhook_secret: SECRET },
        },
      })
    ).json();
    await t.call('POST', '/v1/card-authorizations/cards', {
      key: tenant.key,
      body: { card_id: 'card_lonely', owner_type: 'customer', owner_ref: randomUUID() },
    });
    const r = await signedPost(
      `/v1/card-authorizations/relay/${relay.id}`,
      JSON.stringify(message({ card_id: 'card_lonely' })),
    );
    expect(r.json()).toMatchObject({ decision: 'declined', reason: 'resolver_not_configured' });
  });

  it.each(['throwing', 'rejecting', 'hanging'])('declines when the resolver is %s', async (key) => {
    const c = await p.cardholder({ all: 10_000 });
    const resolver = await t.call('POST', '/v1/provider-configs', {
      key: p.tenant.key,
      body: {
        label: key,
        service_type: 'expense_category_resolver',
        provider_key: key,
        config: {},
        is_default: true,
      },
    });
    try {
      const started = Date.now();
      const r = await p.send(message({ card_id: c.cardId }));
      expect(r.body).toMatchObject({ decision: 'declined', reason: 'resolver_failed' });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await t.call('DELETE', `/v1/provider-configs/${resolver.json().id}`, { key: p.tenant.key });
      const configs = (
        await t.call('GET', '/v1/provider-configs?service_type=expense_category_resolver', {
          key: p.tenant.key,
        })
      ).json();
      const rules = configs.data.find((x: { provider_key: string }) => x.provider_key === 'mcc_rules');
      await t.call('PATCH', `/v1/provider-configs/${rules.id}`, {
        key: p.tenant.key,
        body: { is_default: true },
      });
    }
  });
});

describe('an inactive relay', () => {
  it('approves nothing new but still books the lifecycle of what it approved', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const auth = message({ card_id: c.cardId, amount: 3_000 });
    expect((await p.send(auth)).body).toMatchObject({ decision: 'approved' });
    await t.call('PATCH', `/v1/provider-configs/${p.relayId}`, {
      key: p.tenant.key,
      body: { is_active: false },
    });
    try {
      expect((await p.send(message({ card_id: c.cardId }))).body).toMatchObject({ reason: 'relay_disabled' });
      const clearing = await p.send({ ...auth, type: 'clearing', id: `${auth.id}-clr`, amount: 3_000 });
      expect(clearing.body).toEqual({ received: true });
      expect((await p.line(c.lines.all!)).expensed_credits).toBe(3_000);
    } finally {
      await t.call('PATCH', `/v1/provider-configs/${p.relayId}`, {
        key: p.tenant.key,
        body: { is_active: true },
      });
    }
  });
});

describe('relay secrets', () => {
  // Issue 16, item 9: each platform's secret in its real format and length, nothing weaker.
  it.each([
    ['stripe_issuing', { webhook_secret: 'whsec_' }, 'config.webhook_secret'],
    ['stripe_issuing', { webhook_secret: 'whsec_x' }, 'config.webhook_secret'],
    ['lithic', { webhook_secret: 'x' }, 'config.webhook_secret'],
    [
      'lithic',
      {
        webhook_secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
        events_webhook_secret: 'whsec_abc',
      },
      'config.events_webhook_secret',
    ],
    ['generic', { webhook_secret: 'short' }, 'config.webhook_secret'],
  ])('refuses a %s config with %j, naming the field', async (provider, config, path) => {
    const r = await t.call('POST', '/v1/provider-configs', {
      key: p.tenant.key,
      body: { label: 'weak', service_type: 'card_issuing', provider_key: provider, config },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'invalid_config', errors: [{ path }] });
  });
});
