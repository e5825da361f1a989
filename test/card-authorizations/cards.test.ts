import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message } from './fixture.js';

let t: TestApp;
let p: CardProgram;
let other: { id: string; key: string };
const BASE = '/v1/card-authorizations';

beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t);
  other = await t.tenant('Other');
});
afterAll(() => t.close());

const call = (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
  t.call(method, url, { key, body });

describe('card registry', () => {
  it('registers a card for its owner, lists and filters', async () => {
    const owner = randomUUID();
    const r = await call(p.tenant.key, 'POST', `${BASE}/cards`, {
      card_id: 'ic_registry1',
      owner_type: 'customer',
      owner_ref: owner,
    });
    expect(r.statusCode).toBe(201);
    const card = r.json();
    expect(card).toMatchObject({
      card_id: 'ic_registry1',
      owner_type: 'customer',
      owner_ref: owner,
      status: 'active',
    });
    expect((await call(p.tenant.key, 'GET', `${BASE}/cards/${card.id}`)).json()).toEqual(card);
    expect((await call(p.tenant.key, 'GET', `${BASE}/cards?card_id=ic_registry1`)).json().data).toEqual([
      card,
    ]);
    expect((await call(p.tenant.key, 'GET', `${BASE}/cards?owner_ref=${owner}`)).json().data).toEqual([card]);
    expect((await call(p.tenant.key, 'GET', `${BASE}/cards?status=frozen`)).json().data).toEqual([]);
  });

  it('refuses a card registered twice', async () => {
    const body = { card_id: 'ic_twice', owner_type: 'customer', owner_ref: randomUUID() };
    await call(p.tenant.key, 'POST', `${BASE}/cards`, body);
    const dup = await call(p.tenant.key, 'POST', `${BASE}/cards`, body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'duplicate_card', errors: [{ path: 'card_id' }] });
  });

  it('freezes, unfreezes and closes a card; closing is final, and the decision follows at once', async () => {
    const holder = await p.cardholder({ all: 100_000 });
    const [card] = (await call(p.tenant.key, 'GET', `${BASE}/cards?card_id=${holder.cardId}`)).json().data;
    const setStatus = (status: string) => call(p.tenant.key, 'PATCH', `${BASE}/cards/${card.id}`, { status });
    expect((await setStatus('frozen')).json().status).toBe('frozen');
    expect((await p.send(message({ card_id: holder.cardId }))).body).toMatchObject({
      decision: 'declined',
      reason: 'card_inactive',
    });
    expect((await setStatus('active')).json().status).toBe('active');
    expect((await p.send(message({ card_id: holder.cardId }))).body).toMatchObject({ decision: 'approved' });
    expect((await setStatus('closed')).json().status).toBe('closed');
    const reopen = await setStatus('active');
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().code).toBe('card_closed');
    expect((await p.send(message({ card_id: holder.cardId }))).body).toMatchObject({
      reason: 'card_inactive',
    });
  });

  it('validates the body', async () => {
    const r = await call(p.tenant.key, 'POST', `${BASE}/cards`, {
      card_id: '',
      owner_type: 'customer',
      owner_ref: 'x',
      status: 'lost',
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['card_id', 'owner_ref', 'status']);
  });

  it('hides one tenant’s cards from another (404)', async () => {
    const card = (
      await call(p.tenant.key, 'POST', `${BASE}/cards`, {
        card_id: 'ic_hidden',
        owner_type: 'customer',
        owner_ref: randomUUID(),
      })
    ).json();
    expect((await call(other.key, 'GET', `${BASE}/cards/${card.id}`)).statusCode).toBe(404);
    expect(
      (await call(other.key, 'PATCH', `${BASE}/cards/${card.id}`, { status: 'frozen' })).statusCode,
    ).toBe(404);
    expect((await call(other.key, 'GET', `${BASE}/cards?card_id=ic_hidden`)).json().data).toEqual([]);
  });
});

describe('authorization requests', () => {
  it('lists requests with filters and shows one with its messages and holds', async () => {
    const holder = await p.cardholder({ all: 50_000 });
    const auth = message({ card_id: holder.cardId, amount: 1_200 });
    await p.send(auth);
    await p.send({ ...auth, type: 'reversal', id: `${auth.id}-rev`, amount: 200 });
    const list = await call(p.tenant.key, 'GET', `${BASE}/authorization-requests?card_id=${holder.cardId}`);
    expect(list.json().data).toHaveLength(1);
    const [req] = list.json().data;
    expect(req).toMatchObject({
      external_id: auth.authorization_id,
      provider: `generic:${p.relayId}`,
      provider_config_id: p.relayId,
      card_id: holder.cardId,
      owner_type: 'customer',
      owner_ref: holder.ownerRef,
      currency: 'EUR',
      status: 'approved',
      amount_authorized: 1_200,
      amount_held: 1_000,
      amount_released: 200,
      expense_category_ids: [p.categories.all],
      merchant: { mcc: '5411', country: 'FRA', merchant_id: 'MID-1' },
      metadata: { expense_category_codes: ['all'] },
    });
    const detail = (await call(p.tenant.key, 'GET', `${BASE}/authorization-requests/${req.id}`)).json();
    expect(detail.messages.map((m: { kind: string; approved: boolean }) => [m.kind, m.approved])).toEqual([
      ['authorization', true],
      ['reversal', true],
    ]);
    expect(detail.holds).toEqual([
      {
        line_of_credit_id: holder.lines.all,
        held: 1_000,
        reserved: 1_200,
        cleared: 0,
        released: 200,
        refunded: 0,
        forced: 0,
      },
    ]);
    for (const q of [
      'status=approved',
      `external_id=${auth.authorization_id}`,
      `provider=generic:${p.relayId}`,
    ])
      expect(
        (await call(p.tenant.key, 'GET', `${BASE}/authorization-requests?${q}`))
          .json()
          .data.map((r: { id: string }) => r.id),
      ).toContain(req.id);
    expect(
      (await call(p.tenant.key, 'GET', `${BASE}/authorization-requests?status=expired`)).json().data,
    ).toEqual([]);
    expect((await call(other.key, 'GET', `${BASE}/authorization-requests/${req.id}`)).statusCode).toBe(404);
    expect((await call(other.key, 'GET', `${BASE}/authorization-requests`)).json().data).toEqual([]);
  });
});
