import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('If-Match on loan actions', () => {
  it('answers the loan’s version as its ETag and applies an action only to that version', async () => {
    const { call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const read = await call('GET', `/v1/loans/${id}`);
    const etag = read.headers.etag as string;
    expect(etag).toBe(`"${read.json().version}"`);
    // Someone else records a payment after this page was read.
    const other = await call('POST', `/v1/loans/${id}/payments`, { amount: 10_000 });
    expect(other.statusCode).toBe(201);
    const stale = await call('POST', `/v1/loans/${id}/payments`, { amount: 20_000 }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({
      code: 'stale_version',
      current_etag: `"${other.json().loan.version}"`,
    });
    const now = await call('GET', `/v1/loans/${id}`);
    expect(now.json().transactions.filter((e: { type: string }) => e.type === 'payment')).toHaveLength(1);
    const fresh = await call(
      'POST',
      `/v1/loans/${id}/payments`,
      { amount: 20_000 },
      { 'if-match': now.headers.etag as string },
    );
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().loan.version).toBe(now.json().version + 1);
  });

  it('with an Idempotency-Key: a 412 is not the key’s answer, and a retry of a write that applied replays it', async () => {
    const { call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const v = (await call('GET', `/v1/loans/${id}`)).headers.etag as string;
    await call('POST', `/v1/loans/${id}/payments`, { amount: 5_000 });
    const stale = await call(
      'POST',
      `/v1/loans/${id}/payments`,
      { amount: 7_000 },
      { 'if-match': v, 'idempotency-key': 'k-1' },
    );
    expect(stale.statusCode).toBe(412);
    // The same key after reading again runs (the 412 was not stored as its answer).
    const v2 = (await call('GET', `/v1/loans/${id}`)).headers.etag as string;
    const ran = await call(
      'POST',
      `/v1/loans/${id}/payments`,
      { amount: 7_000 },
      { 'if-match': v2, 'idempotency-key': 'k-1' },
    );
    expect(ran.statusCode).toBe(201);
    // Its retry (the client never saw the answer) finds the loan moved on by itself and replays the answer.
    const retry = await call(
      'POST',
      `/v1/loans/${id}/payments`,
      { amount: 7_000 },
      { 'if-match': v2, 'idempotency-key': 'k-1' },
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(ran.json().id);
  });

  it('guards lifecycle actions too; without If-Match an action applies as before', async () => {
    const { call, programId } = await setup(t);
    const created = await call('POST', '/v1/loans', {
      program_id: programId,
      principal: 500_000,
      disbursement_date: '2024-01-15',
    });
    const id = created.json().id as string;
    const stale = await call(
      'POST',
      `/v1/loans/${id}/approve`,
      { effective_date: '2024-01-15' },
      { 'if-match': `"${created.json().version + 1}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('application');
    const approved = await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-15' });
    expect(approved.statusCode).toBe(201);
    const bad = await call('POST', `/v1/loans/${id}/disburse`, undefined, { 'if-match': '7' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_if_match');
  });
});
