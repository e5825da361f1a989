import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchItem,
  type BatchResult,
  type Binding,
  messageItem,
} from '../../src/modules/card-authorizations/decisions/items.js';
import { SqlDecider } from '../../src/modules/card-authorizations/decisions/store.js';
import type { CardMessage } from '../../src/modules/card-authorizations/domain/messages.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram } from './fixture.js';

/**
 * card_apply_batch on batches built by hand: the new single-line authorizations of a batch are reserved together
 * (one conditional update per line for their sum), and a line that cannot take the sum decides them one by one.
 * Either way the results must be those of deciding the batch's items one at a time.
 */
let t: TestApp;
let p: CardProgram;
let decider: SqlDecider;
let binding: Binding;
beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t);
  decider = new SqlDecider(t.ctx.database.raw);
  binding = {
    tenantId: p.tenant.id,
    provider: `batch-test:${randomUUID()}`,
    providerConfigId: null,
    holdExpiryDays: 31,
  };
});
afterAll(() => t.close());

type Holder = Awaited<ReturnType<CardProgram['cardholder']>>;

function item(h: Holder, over: Partial<CardMessage>): BatchItem {
  const m: CardMessage = {
    kind: 'authorization',
    provider: 'generic',
    externalId: `auth_${randomUUID()}`,
    messageId: `msg_${randomUUID()}`,
    requiresDecision: true,
    amount: 100,
    currency: 'EUR',
    cardId: h.cardId,
    merchant: {
      merchantId: 'M',
      acquirerId: null,
      mcc: '5411',
      name: null,
      country: 'FRA',
      postalCode: null,
      city: null,
    },
    occurredAt: new Date().toISOString(),
    isPartialAllowed: false,
    singleMessage: false,
    forcePost: false,
    settlementId: null,
    merchantAmount: null,
    extras: {},
    ...over,
  };
  return messageItem(
    binding,
    m,
    {
      card: { ownerType: 'customer', ownerRef: h.ownerRef, status: 'active' },
      cardDecline: null,
      linesDecline: null,
      categoryIds: [p.categories.all!],
      categoryCodes: ['all'],
      lines: [h.lines.all!],
      detail: null,
    },
    new Date(),
  );
}

async function apply(items: BatchItem[]): Promise<BatchResult[]> {
  items.forEach((it, i) => {
    it.seq = i;
  });
  return decider.apply(items);
}

const summary = (rs: BatchResult[]) => rs.map((r) => `${r.reasonCode}:${r.approvedAmount}`);

describe('card_apply_batch: authorizations reserved together', () => {
  it('a line that takes the sum approves every authorization and books each one', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const rs = await apply([item(h, { amount: 100 }), item(h, { amount: 200 }), item(h, { amount: 300 })]);
    expect(summary(rs)).toEqual(['approved:100', 'approved:200', 'approved:300']);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(600);
    const requests = await t.ctx.database.raw.query<{ n: number; held: string }>(
      'SELECT count(*)::int AS n, sum(h.held) AS held FROM card_authorization_requests r JOIN card_authorization_holds h ON h.tenant_id = r.tenant_id AND h.request_id = r.id WHERE r.card_id = $1',
      [h.cardId],
    );
    expect(requests.rows[0]).toEqual({ n: 3, held: '600' });
  });

  it('stores what the items carry as JSON objects: merchant and categories on the request, payload on the message', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const settled = { settlementId: 'set_1', merchantAmount: { amount: 120, currency: 'USD' } };
    // Both paths: a batch of one goes through the loop, a larger one through the set statements.
    await apply([item(h, { amount: 100, ...settled })]);
    await apply([item(h, { amount: 100, ...settled }), item(h, { amount: 100, ...settled })]);
    const { rows } = await t.ctx.database.raw.query<{
      merchant: unknown;
      metadata: unknown;
      payload: unknown;
    }>(
      `SELECT r.merchant, r.metadata, m.payload FROM card_authorization_requests r
         JOIN card_authorization_messages m ON m.tenant_id = r.tenant_id AND m.request_id = r.id
        WHERE r.card_id = $1`,
      [h.cardId],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row).toEqual({
        merchant: { merchant_id: 'M', mcc: '5411', country: 'FRA' },
        metadata: { expense_category_codes: ['all'] },
        payload: {
          occurred_at: expect.any(String),
          settlement_id: 'set_1',
          merchant_amount: { amount: 120, currency: 'USD' },
          extras: {},
        },
      });
  });

  it('a line that cannot take the sum decides them one by one in order, partial approvals included', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const rs = await apply([
      item(h, { amount: 600 }),
      item(h, { amount: 300 }),
      item(h, { amount: 200, isPartialAllowed: true }),
      item(h, { amount: 50 }),
    ]);
    expect(summary(rs)).toEqual(['approved:600', 'approved:300', 'approved:100', 'insufficient_credits:0']);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(1_000);
  });

  it('an exhausted line declines at once what cannot fit, and still approves in part what may be', async () => {
    const h = await p.cardholder({ all: 1_000 });
    expect(summary(await apply([item(h, { amount: 990 })]))).toEqual(['approved:990']);
    const batch = [
      item(h, { amount: 100 }),
      item(h, { amount: 50 }),
      item(h, { amount: 20, isPartialAllowed: true }),
      item(h, { amount: 5 }),
    ];
    const rs = await apply(batch);
    expect(summary(rs)).toEqual([
      'insufficient_credits:0',
      'insufficient_credits:0',
      'approved:10',
      'insufficient_credits:0',
    ]);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(1_000);
    const recorded = await t.ctx.database.raw.query<{
      status: string;
      decline_reason: string | null;
      held: string;
    }>(
      'SELECT status, decline_reason, amount_held AS held FROM card_authorization_requests WHERE tenant_id = $1 AND provider = $2 AND external_id = ANY ($3) ORDER BY amount_held, external_id',
      [p.tenant.id, binding.provider, batch.map((i) => i.external_id)],
    );
    expect(recorded.rows.map((r) => `${r.status}:${r.decline_reason}:${r.held}`)).toEqual([
      'declined:insufficient_credits:0',
      'declined:insufficient_credits:0',
      'declined:insufficient_credits:0',
      'approved:null:10',
    ]);
  });

  it('lines of a batch are reserved apart: one that cannot take its sum does not hold back another', async () => {
    const a = await p.cardholder({ all: 500 });
    const b = await p.cardholder({ all: 500 });
    const rs = await apply([
      item(a, { amount: 400 }),
      item(b, { amount: 400 }),
      item(a, { amount: 400 }),
      item(b, { amount: 100 }),
    ]);
    expect(summary(rs)).toEqual(['approved:400', 'approved:400', 'insufficient_credits:0', 'approved:100']);
    expect((await p.line(a.lines.all!)).expensed_credits).toBe(400);
    expect((await p.line(b.lines.all!)).expensed_credits).toBe(500);
  });

  it('a terminated line declines them all, and a replay in the batch returns its stored decision', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const first = item(h, { amount: 250 });
    expect(summary(await apply([first]))).toEqual(['approved:250']);
    const replay = { ...first };
    const fresh = item(h, { amount: 250 });
    const rs = await apply([replay, fresh]);
    expect(rs.map((r) => r.replay)).toEqual([true, false]);
    expect(summary(rs)).toEqual(['approved:250', 'approved:250']);

    await t.ctx.database.raw.query(
      'UPDATE card_expense_trackers SET terminated = true WHERE line_of_credit_id = $1',
      [h.lines.all],
    );
    expect(summary(await apply([item(h, { amount: 1 }), item(h, { amount: 2 })]))).toEqual([
      'no_line_of_credit:0',
      'no_line_of_credit:0',
    ]);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(500);
  });

  it('the batch’s other items go first: a reversal frees what a later-listed authorization then takes', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const auth = item(h, { amount: 1_000 });
    expect(summary(await apply([auth]))).toEqual(['approved:1000']);
    const reversal = item(h, { kind: 'reversal', externalId: auth.external_id!, amount: 400 });
    const rs = await apply([item(h, { amount: 300 }), reversal]);
    expect(summary(rs)).toEqual(['approved:300', 'approved:400']);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(900);
  });

  it('refuses a batch with two items of one request, and writes nothing', async () => {
    const h = await p.cardholder({ all: 1_000 });
    const a = item(h, { amount: 100 });
    const b = item(h, { amount: 100, externalId: a.external_id! });
    await expect(apply([a, b])).rejects.toThrow(/two items for one request/);
    expect((await p.line(h.lines.all!)).expensed_credits).toBe(0);
  });
});
