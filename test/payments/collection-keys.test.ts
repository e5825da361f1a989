import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsFixture, paymentsFixture } from './support/fixture.js';
import { HARNESSES } from './support/processors.js';

/**
 * A collection's Idempotency-Key, kept in the collection's own statements (README: "A collection's
 * statements"): claimed with the payment's record, completed with its finalization, released on a 503 so the
 * retry resumes the payment, replayed byte for byte, refused for another body, and stored with a refusal.
 */
describe.each(HARNESSES)('collection keys: %s', (_key, start) => {
  let f: PaymentsFixture;
  beforeAll(async () => {
    f = await paymentsFixture(await start());
  }, 120_000);
  afterAll(async () => {
    await f?.close();
    await f?.h.close();
  });

  const collect = (loanId: string, body: unknown, key: string) =>
    f.call('POST', `/v1/loans/${loanId}/collections`, body, { 'idempotency-key': key });
  const cash = async (loanId: string): Promise<number> =>
    (await f.ok('GET', `/v1/loans/${loanId}`)).balances.cash ?? 0;

  it('a charge whose answer is lost, retried with its key: resumed, one capture, then replayed', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const before = await cash(loanId);
    const body = { amount: 30_000, payment_method_id: pm };
    f.h.dropNextCharge();
    const lost = await collect(loanId, body, `lost-${loanId}`);
    // Stripe's SDK gives up (503, outcome unknown); Authorize.Net's client re-sends within its duplicate window.
    expect([201, 503], lost.body).toContain(lost.statusCode);
    f.h.clearFaults();
    const retried = await collect(loanId, body, `lost-${loanId}`);
    expect(retried.statusCode, retried.body).toBe(201);
    const p = retried.json();
    expect(p).toMatchObject({ state: 'captured', loan: { applied: 30_000 } });
    expect(f.h.capturesOf(p.processor_id)).toBe(1);
    expect((await cash(loanId)) - before).toBe(30_000);
    const payments = (await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data;
    expect(payments).toHaveLength(1);
    // The completed key answers the stored response, byte for byte; another body with it is refused.
    const replay = await collect(loanId, body, `lost-${loanId}`);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(retried.body);
    const other = await collect(loanId, { ...body, amount: 1 }, `lost-${loanId}`);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect(f.h.capturesOf(p.processor_id)).toBe(1);
  });

  it('a decline and a refusal are stored with the key: the retry replays them and charges nothing', async () => {
    const loanId = await f.loan();
    const declining = await f.method('declining');
    const declined = await collect(loanId, { amount: 200, payment_method_id: declining }, `d-${loanId}`);
    expect(declined.statusCode, declined.body).toBe(402);
    const captures = f.h.totals().captures;
    const again = await collect(loanId, { amount: 200, payment_method_id: declining }, `d-${loanId}`);
    expect(again.statusCode).toBe(402);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(declined.body);
    expect((await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data).toHaveLength(1);
    // A method of another borrower: 404 naming the field, stored; nothing recorded, nothing sent.
    const other = await f.ok('POST', '/v1/customers', { legal_name: 'Another Borrower' });
    const theirs = await f.method('card', other.id);
    const refused = await collect(loanId, { amount: 500, payment_method_id: theirs }, `o-${loanId}`);
    expect(refused.statusCode).toBe(404);
    expect(JSON.stringify(refused.json())).toContain('payment_method_id');
    const replayed = await collect(loanId, { amount: 500, payment_method_id: theirs }, `o-${loanId}`);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toBe(refused.body);
    expect((await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data).toHaveLength(1);
    expect(f.h.totals().captures).toBe(captures);
  });

  it('collections in flight together share the claim statement, each decided alone, one payment per key', async () => {
    const [paying, declining, foreign, twice] = await Promise.all([f.loan(), f.loan(), f.loan(), f.loan()]);
    const card = await f.method('card');
    const declines = await f.method('declining');
    const other = await f.ok('POST', '/v1/customers', { legal_name: 'Another Borrower' });
    const theirs = await f.method('card', other.id);
    const before = {
      paying: await cash(paying!),
      twice: await cash(twice!),
      captures: f.h.totals().captures,
    };
    // Sent in one turn: their reads, then their claims, go to the database together (kernel/batcher.ts). The
    // declining card declines $2.00 at both harnesses (Authorize.Net's sandbox declines that amount only).
    const [ok1, declined, refused, first, second] = await Promise.all([
      collect(paying!, { amount: 1_100, payment_method_id: card }, `b-${paying}`),
      collect(declining!, { amount: 200, payment_method_id: declines }, `b-${declining}`),
      collect(foreign!, { amount: 1_300, payment_method_id: theirs }, `b-${foreign}`),
      collect(twice!, { amount: 1_400, payment_method_id: card }, `b-${twice}`),
      collect(twice!, { amount: 1_400, payment_method_id: card }, `b-${twice}`),
    ]);
    expect(ok1!.statusCode, ok1!.body).toBe(201);
    expect(ok1!.json()).toMatchObject({ amount: 1_100, state: 'captured', loan: { applied: 1_100 } });
    expect(declined!.statusCode, declined!.body).toBe(402);
    expect(refused!.statusCode, refused!.body).toBe(404);
    expect(JSON.stringify(refused!.json())).toContain('payment_method_id');
    // The same key twice at once: one charges; the other waits for the next statement and finds the key held
    // (409 while it runs) or completed (the first's response, replayed).
    const statuses = [first!.statusCode, second!.statusCode].sort();
    expect(
      [
        [201, 201],
        [201, 409],
      ],
      `${first!.body} ${second!.body}`,
    ).toContainEqual(statuses);
    const winner =
      first!.statusCode === 201 && first!.headers['idempotent-replayed'] !== 'true' ? first! : second!;
    expect(winner.json()).toMatchObject({ amount: 1_400, state: 'captured', loan: { applied: 1_400 } });
    const payments = async (loanId: string) => (await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data;
    expect(await payments(paying!)).toHaveLength(1);
    expect(await payments(declining!)).toHaveLength(1);
    expect(await payments(foreign!)).toHaveLength(0);
    expect(await payments(twice!)).toHaveLength(1);
    expect(f.h.totals().captures - before.captures).toBe(2);
    expect((await cash(paying!)) - before.paying).toBe(1_100);
    expect((await cash(twice!)) - before.twice).toBe(1_400);
  });
});
