import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram, message } from './fixture.js';

let t: TestApp;
let p: CardProgram;
beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t);
});
afterAll(() => t.close());

describe('generic relay end to end', () => {
  it('approves within the limit, then declines beyond it, and books the reservation', async () => {
    const c = await p.cardholder({ all: 5000 });
    const a = await p.send(message({ card_id: c.cardId, amount: 3000 }));
    expect(a).toMatchObject({ status: 200, body: { decision: 'approved', approved_amount: 3000 } });
    const b = await p.send(message({ card_id: c.cardId, amount: 3000 }));
    expect(b.body).toMatchObject({ decision: 'declined', reason: 'insufficient_credits' });
    expect(await p.line(c.lines.all!)).toMatchObject({ expensed_credits: 3000, available_credits: 2000 });
  });
});
