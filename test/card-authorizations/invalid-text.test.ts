import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message, settled } from './fixture.js';

// Issue 16, item 1: a message the database cannot store is invalid input, declined with its own reason; it is not
// an unknown outcome answered with the fallback (which approved it here, and booked nothing).
let t: TestApp;
let p: CardProgram;
beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t, { relay: { fallback: 'approve' } });
});
afterAll(() => t.close());

const stored = async (messageId: string) =>
  rows<{ approved: boolean; reason_code: string; kind: string; detail: string }>(
    t.ctx.database.db,
    sql`SELECT approved, reason_code, kind, detail FROM card_authorization_messages
         WHERE tenant_id = ${p.tenant.id} AND message_id = ${messageId}`,
  );

describe('text the database cannot store', () => {
  it('declines an authorization with a NUL in its merchant name, books nothing, and records why', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const m = message({ card_id: c.cardId, amount: 2_500 });
    (m.merchant as Record<string, unknown>).name = 'Sho\u0000p';
    const r = await p.send(m);
    expect(r).toMatchObject({
      status: 200,
      body: { decision: 'declined', reason: 'invalid_characters', approved_amount: 0 },
    });
    await settled(t);
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
    const [recorded] = await stored(m.id as string);
    expect(recorded).toMatchObject({ approved: false, reason_code: 'invalid_characters', kind: 'invalid' });
    expect(recorded!.detail).toContain('$.merchant.name');
    // A replay gets the same answer.
    expect((await p.send(m)).body).toMatchObject({ decision: 'declined', reason: 'invalid_characters' });
  });

  it('declines lone surrogates in the merchant id, and a NUL in the message id (recorded without it)', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const surrogate = message({ card_id: c.cardId });
    (surrogate.merchant as Record<string, unknown>).id = 'MID-\ud800';
    expect((await p.send(surrogate)).body).toMatchObject({
      decision: 'declined',
      reason: 'invalid_characters',
    });
    const nulId = message({ card_id: c.cardId, id: 'msg\u0000' });
    expect((await p.send(nulId)).body).toMatchObject({ decision: 'declined', reason: 'invalid_characters' });
    await settled(t);
    const [unidentified] = await rows<{ message_id: string }>(
      t.ctx.database.db,
      sql`SELECT message_id FROM card_authorization_messages
           WHERE tenant_id = ${p.tenant.id} AND external_id = ${nulId.authorization_id as string}`,
    );
    expect(unidentified!.message_id).toMatch(/^unidentified:/);
    expect((await p.line(c.lines.all!)).expensed_credits).toBe(0);
  });

  it('acknowledges a clearing holding such text, and records it for an operator instead of failing', async () => {
    const c = await p.cardholder({ all: 10_000 });
    const clearing = message({ card_id: c.cardId, type: 'clearing', amount: 700 });
    (clearing.merchant as Record<string, unknown>).city = 'Par\u0000is';
    const r = await p.send(clearing);
    expect(r).toEqual({ status: 200, body: { received: true } });
    await settled(t);
    expect(await stored(clearing.id as string)).toMatchObject([
      { approved: false, reason_code: 'invalid_characters', kind: 'invalid' },
    ]);
  });
});
