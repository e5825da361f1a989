import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function program(terms = installmentTerms()) {
  const tenant = await t.tenant();
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown, headers = {}) =>
    t.call(method, url, { key: tenant.key, body, headers });
  await call('PUT', '/v1/business-date', { business_date: '2024-01-15' });
  const p = await call('POST', '/v1/programs', { name: 'Personal', program_type: 'installment_loan', terms });
  expect(p.statusCode).toBe(201);
  return { tenant, call, id: p.json().id as string };
}

const request = { principal: 1_200_000, disbursement_date: '2024-01-15' };

describe('PATCH /v1/programs/{id}', () => {
  it('changes name, description and status, counts versions and answers the new ETag', async () => {
    const { call, id } = await program();
    const got = await call('GET', `/v1/programs/${id}`);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toMatchObject({ version: 1, description: null });
    const r = await call('PATCH', `/v1/programs/${id}`, {
      name: 'Personal 2025',
      description: 'Prime borrowers',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"2"');
    expect(r.json()).toMatchObject({ name: 'Personal 2025', description: 'Prime borrowers', version: 2 });
    const retired = await call('PATCH', `/v1/programs/${id}`, { status: 'retired' }, { 'if-match': '"2"' });
    expect(retired.json()).toMatchObject({ status: 'retired', version: 3 });
    const refused = await call('POST', '/v1/loans', { program_id: id, ...request });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('program_retired');
    const log = await call('GET', `/v1/audit-log?entity_type=program&entity_id=${id}`);
    const updates = log.json().data.filter((e: { action: string }) => e.action === 'program.updated');
    expect(updates[0].changes).toEqual({
      version: 3,
      before: { status: 'active' },
      after: { status: 'retired' },
    });
  });

  it('applies new terms to loans originated afterwards; existing loans keep theirs', async () => {
    const { call, id } = await program();
    const before = await call('POST', '/v1/loans', { program_id: id, ...request });
    expect(before.statusCode).toBe(201);
    const terms = installmentTerms({ annual_interest_rate: { min: '0', max: '36', default: '18' } });
    const r = await call('PATCH', `/v1/programs/${id}`, { terms });
    expect(r.statusCode).toBe(200);
    expect(r.json().terms.annual_interest_rate.default).toBe('18');
    const after = await call('POST', '/v1/loans', { program_id: id, ...request });
    expect(after.statusCode).toBe(201);
    const rateOf = async (loanId: string) =>
      (await call('GET', `/v1/loans/${loanId}`)).json().disclosure.apr as string;
    expect(await rateOf(before.json().id)).toBe('12.00');
    expect(await rateOf(after.json().id)).toBe('18.00');
    // The quote follows the program's current terms too (a cached instance of version 1 would still say 12%).
    const q = await call('POST', `/v1/programs/${id}/quotes`, request);
    expect(q.json().disclosure.apr).toBe('18.00');
  });

  it('refuses terms the program type refuses, a currency change and an empty change, naming the field', async () => {
    const { call, id } = await program();
    const bad = await call('PATCH', `/v1/programs/${id}`, {
      terms: installmentTerms({ term_count: { min: 12, max: 6, default: 12 } }),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('invalid_terms');
    expect(bad.json().errors[0].path).toMatch(/^terms\.term_count/);
    const currency = await call('PATCH', `/v1/programs/${id}`, {
      terms: installmentTerms({ currency: 'EUR' }),
    });
    expect(currency.statusCode).toBe(422);
    expect(currency.json()).toMatchObject({
      code: 'currency_immutable',
      errors: [{ path: 'terms.currency' }],
    });
    expect((await call('PATCH', `/v1/programs/${id}`, {})).statusCode).toBe(400);
    expect((await call('PATCH', `/v1/programs/${id}`, { program_type: 'lease' })).statusCode).toBe(400);
    // Nothing was written by any of them.
    expect((await call('GET', `/v1/programs/${id}`)).json()).toMatchObject({ version: 1, currency: 'USD' });
  });

  it('refuses a stale If-Match with 412 and writes nothing; a malformed one is 400', async () => {
    const { call, id } = await program();
    expect((await call('PATCH', `/v1/programs/${id}`, { name: 'A' }, { 'if-match': '"1"' })).statusCode).toBe(
      200,
    );
    const stale = await call('PATCH', `/v1/programs/${id}`, { name: 'B' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({ code: 'stale_version', status: 412, current_etag: '"2"' });
    // A weak tag never matches (If-Match compares strongly); `*` and a list with the current version do.
    expect(
      (await call('PATCH', `/v1/programs/${id}`, { name: 'B' }, { 'if-match': 'W/"2"' })).statusCode,
    ).toBe(412);
    expect(
      (await call('PATCH', `/v1/programs/${id}`, { name: 'B' }, { 'if-match': 'nonsense' })).statusCode,
    ).toBe(400);
    expect((await call('GET', `/v1/programs/${id}`)).json()).toMatchObject({ name: 'A', version: 2 });
    expect(
      (await call('PATCH', `/v1/programs/${id}`, { name: 'C' }, { 'if-match': '"1", "2"' })).statusCode,
    ).toBe(200);
    expect((await call('PATCH', `/v1/programs/${id}`, { name: 'D' }, { 'if-match': '*' })).statusCode).toBe(
      200,
    );
  });

  it('is for admins; another tenant’s program is 404', async () => {
    const { tenant, id } = await program();
    const viewer = await t.call('POST', '/v1/api-keys', {
      key: tenant.key,
      body: { name: 'v', role: 'viewer' },
    });
    expect(viewer.statusCode).toBe(201);
    const asViewer = await t.call('PATCH', `/v1/programs/${id}`, {
      key: viewer.json().api_key,
      body: { name: 'X' },
    });
    expect(asViewer.statusCode).toBe(403);
    const other = await t.tenant();
    const foreign = await t.call('PATCH', `/v1/programs/${id}`, { key: other.key, body: { name: 'X' } });
    expect(foreign.statusCode).toBe(404);
  });
});
