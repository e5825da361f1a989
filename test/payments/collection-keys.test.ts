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
});
