import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { SqlDecider } from '../../src/modules/card-authorizations/decisions/store.js';
import {
  type BatchItem,
  type BatchResult,
  type CardAuthorizations,
  cardAuthorizationsModule,
  type Decider,
} from '../../src/modules/card-authorizations/index.js';
import { plinthSignatureHeader } from '../../src/modules/card-authorizations/providers/generic/signature.js';
import type { PlinthModule } from '../../src/modules/platform.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message, SECRET } from './fixture.js';

// Issue 16, item 1: what the network was told on a stand-in answer during a database outage ends up booked when
// the database is back, and its clearing posts (never a 500).

/** The production decider, failing like an unreachable database while `down`. */
class Outage implements Decider {
  down = false;
  constructor(private readonly real: Decider) {}
  apply(items: readonly BatchItem[]): Promise<BatchResult[]> {
    if (this.down)
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      );
    return this.real.apply(items);
  }
}

let t: TestApp;
let p: CardProgram;
let outage: Outage;
let cards: PlinthModule<CardAuthorizations>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t, { relay: { fallback: 'approve', deadline_ms: 1_000 } });
  // The card module again, deciding through the outage (as a second process on the same database would).
  outage = new Outage(new SqlDecider(t.ctx.database.raw));
  cards = await cardAuthorizationsModule.create(t.ctx.platform, {
    tenantZone: async () => 'UTC',
    loanExists: async (scope, loanId) => (await t.ctx.lending.loans.get(scope, loanId)).ok,
    decider: outage,
  });
  app = await buildApp({ ...t.ctx, modules: t.ctx.modules.map((m) => (m.name === cards.name ? cards : m)) });
});
afterAll(async () => {
  await app.close();
  await cards.close?.();
  await t.close();
});

const send = async (m: Record<string, unknown>) => {
  const body = JSON.stringify(m);
  const r = await app.inject({
    method: 'POST',
    url: p.relayUrl,
    payload: body,
    headers: { 'content-type': 'application/json', 'plinth-signature': plinthSignatureHeader(SECRET, body) },
  });
  return { status: r.statusCode, body: r.json() };
};

const detail = async (externalId: unknown) => {
  const list = await t.call(
    'GET',
    `/v1/card-authorizations/authorization-requests?external_id=${externalId}`,
    {
      key: p.tenant.key,
    },
  );
  const [r] = list.json().data;
  if (!r) return undefined;
  return (
    await t.call('GET', `/v1/card-authorizations/authorization-requests/${r.id}`, { key: p.tenant.key })
  ).json();
};

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a database outage', () => {
  it('books the stand-in approval once the database is back, and its clearing posts', async () => {
    const c = await p.cardholder({ all: 1_000 });
    // The relay's config is cached before the outage, as it is on a running server.
    expect((await send(message({ card_id: 'card_warmup', amount: 1 }))).status).toBe(200);

    outage.down = true;
    const auth = message({ card_id: c.cardId, amount: 800 });
    const answer = await send(auth);
    expect(answer).toMatchObject({
      status: 200,
      body: { decision: 'approved', reason: 'timeout_fallback', approved_amount: 800 },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
    expect(await detail(auth.authorization_id)).toBeUndefined();

    outage.down = false;
    await until(async () => (await p.line(c.lines.all!)).expensed_credits === 800);
    const booked = await detail(auth.authorization_id);
    expect(booked).toMatchObject({ status: 'approved', amount_authorized: 800, amount_held: 800 });
    expect(booked.messages).toMatchObject([
      { message_id: auth.id, approved: true, reason_code: 'timeout_fallback', answered_by_fallback: true },
    ]);
    // A replay gets what the network was told.
    expect((await send(auth)).body).toMatchObject({ decision: 'approved', reason: 'timeout_fallback' });

    const clearing = await send({
      ...message({ card_id: c.cardId, amount: 800 }),
      type: 'clearing',
      authorization_id: auth.authorization_id,
    });
    expect(clearing).toEqual({ status: 200, body: { received: true } });
    expect(await detail(auth.authorization_id)).toMatchObject({
      status: 'cleared',
      amount_held: 0,
      amount_cleared: 800,
      force_posted: false,
    });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(800);
  });

  it('posts a stand-in approval the process could not book when its clearing arrives', async () => {
    const c = await p.cardholder({ all: 1_000 });
    outage.down = true;
    const lost = message({ card_id: c.cardId, amount: 300 });
    expect((await send(lost)).body).toMatchObject({ decision: 'approved', reason: 'timeout_fallback' });
    // The process dies before the database is back: nothing of the stand-in is booked.
    await cards.services.engine.close();
    outage.down = false;
    const clearing = message({
      card_id: c.cardId,
      amount: 300,
      type: 'clearing',
      authorization_id: lost.authorization_id,
    });
    expect(await p.send(clearing)).toEqual({ status: 200, body: { received: true } });
    expect(await detail(lost.authorization_id)).toMatchObject({ amount_cleared: 300, force_posted: true });
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(300);
  });
});
