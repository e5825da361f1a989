import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('console sign-in links', () => {
  it('an admin creates one; it signs in once, as its role, with a key that expires', async () => {
    const tenant = await t.tenant();
    const made = await t.call('POST', '/v1/console/sign-in-links', {
      key: tenant.key,
      body: { role: 'operator' },
    });
    expect(made.statusCode).toBe(201);
    const { token, path, expires_at } = made.json();
    expect(path).toBe(`/console/sign-in#${token}`);
    expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    const session = await t.call('POST', '/v1/console/sessions', { body: { token } });
    expect(session.statusCode).toBe(201);
    const s = session.json();
    expect(s).toMatchObject({ role: 'operator', tenant_id: tenant.id });
    expect(Date.parse(s.expires_at) - Date.now()).toBeGreaterThan(7 * 3600_000);
    const me = await t.call('GET', '/v1/me', { key: s.api_key });
    expect(me.json()).toMatchObject({ role: 'operator', tenant: { id: tenant.id } });

    const again = await t.call('POST', '/v1/console/sessions', { body: { token } });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('sign_in_link_invalid');

    const keys = (await t.call('GET', '/v1/api-keys', { key: tenant.key })).json().data;
    expect(keys.find((k: { role: string }) => k.role === 'operator').expires_at).toBe(s.expires_at);
  });

  it('refuses an expired link, an unknown one, and a key past its expiry', async () => {
    const tenant = await t.tenant();
    const { token } = (
      await t.call('POST', '/v1/console/sign-in-links', { key: tenant.key, body: { role: 'viewer' } })
    ).json();
    await t.ctx.database.db.execute(
      sql`UPDATE console_sign_in_links SET expires_at = now() - interval '1 second' WHERE tenant_id = ${tenant.id}`,
    );
    expect((await t.call('POST', '/v1/console/sessions', { body: { token } })).statusCode).toBe(401);
    expect((await t.call('POST', '/v1/console/sessions', { body: { token: 'pls_nope' } })).statusCode).toBe(
      401,
    );

    const fresh = (
      await t.call('POST', '/v1/console/sign-in-links', { key: tenant.key, body: { role: 'viewer' } })
    ).json();
    const key = (await t.call('POST', '/v1/console/sessions', { body: { token: fresh.token } })).json()
      .api_key;
    await t.ctx.database.db.execute(
      sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = ${tenant.id} AND expires_at IS NOT NULL`,
    );
    expect((await t.call('GET', '/v1/me', { key })).statusCode).toBe(401);
  });

  it('only an admin creates links', async () => {
    const tenant = await t.tenant();
    const operator = (
      await t.call('POST', '/v1/api-keys', { key: tenant.key, body: { name: 'ops', role: 'operator' } })
    ).json().api_key;
    const refused = await t.call('POST', '/v1/console/sign-in-links', {
      key: operator,
      body: { role: 'admin' },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('what the console pages read', () => {
  it('filters the loan list by status, program, customer and days past due, a page at a time', async () => {
    const { tenant, call, programId } = await setup(t);
    const customer = (await call('POST', '/v1/customers', { legal_name: 'Erin Example' })).json().id;
    const first = await activeLoan(call, programId, { customer_id: customer });
    await activeLoan(call, programId);
    await call('POST', '/v1/loans', {
      program_id: programId,
      principal: 50_000,
      disbursement_date: '2024-01-15',
    });
    const list = async (q: string) => (await t.call('GET', `/v1/loans?${q}`, { key: tenant.key })).json();

    expect((await list('status=active')).data).toHaveLength(2);
    expect((await list('status=application')).data).toHaveLength(1);
    expect((await list(`program_id=${programId}`)).data).toHaveLength(3);
    expect((await list('program_id=not-a-uuid')).data).toEqual([]);
    expect((await list(`customer_id=${customer}`)).data.map((l: { id: string }) => l.id)).toEqual([first]);
    expect((await list('min_days_past_due=1')).data).toEqual([]);
    const page1 = await list(`program_id=${programId}&limit=2`);
    const page2 = await list(`program_id=${programId}&limit=2&before=${page1.next_before}`);
    expect([...page1.data, ...page2.data].map((l: { id: string }) => l.id)).toHaveLength(3);
    expect(page2.next_before).toBeNull();

    // A summary is the full loan without its terms and disclosures, on the same pages.
    const full = await list(`program_id=${programId}&limit=2`);
    const summary = await list(`program_id=${programId}&limit=2&view=summary`);
    expect(summary.next_before).toBe(full.next_before);
    expect(summary.data).toEqual(
      full.data.map(({ terms, disclosure, originator_disclosure, ...rest }: Record<string, unknown>) => rest),
    );
    expect(full.data[0]).toHaveProperty('terms');

    const bad = await t.call('GET', '/v1/loans?status=sleeping', { key: tenant.key });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('status');
  });

  it('counts days past due after close of business ages a loan', async () => {
    const { tenant, call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const cob = await call('POST', '/v1/close-of-business', { date: '2024-02-25' });
    expect([200, 202]).toContain(cob.statusCode);
    await expect
      .poll(async () => (await t.call('GET', `/v1/loans/${id}`, { key: tenant.key })).json().days_past_due, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const past = (await t.call('GET', '/v1/loans?min_days_past_due=5', { key: tenant.key })).json();
    expect(past.data.map((l: { id: string }) => l.id)).toEqual([id]);
    expect((await t.call('GET', '/v1/loans?min_days_past_due=60', { key: tenant.key })).json().data).toEqual(
      [],
    );

    const portfolio = (await t.call('GET', '/v1/portfolio', { key: tenant.key })).json();
    expect(portfolio.business_date).toBe('2024-02-26');
    expect(portfolio.by_program).toEqual([
      expect.objectContaining({
        program_id: programId,
        status: 'delinquent',
        currency: 'USD',
        loans: 1,
        amount: 1_200_000,
      }),
    ]);
    expect(portfolio.by_delinquency_bucket).toEqual([
      expect.objectContaining({ currency: 'USD', loans: 1, amount: 1_200_000 }),
    ]);
  });

  it('searches customers by name, e-mail or reference, case-insensitively, with LIKE characters taken literally', async () => {
    const tenant = await t.tenant();
    for (const [legal_name, email] of [
      ['Ada Lovelace', 'ada@example.com'],
      ['Grace Hopper', 'grace@navy.mil'],
      ['100% Percent', null],
    ])
      await t.call('POST', '/v1/customers', {
        key: tenant.key,
        body: { legal_name, ...(email && { email }) },
      });
    const names = async (q: string) =>
      (await t.call('GET', `/v1/customers?q=${encodeURIComponent(q)}`, { key: tenant.key }))
        .json()
        .data.map((c: { legal_name: string }) => c.legal_name);
    expect(await names('lovelace')).toEqual(['Ada Lovelace']);
    expect(await names('NAVY')).toEqual(['Grace Hopper']);
    expect(await names('%')).toEqual(['100% Percent']);
  });

  it('publishes each program type’s terms and request schemas', async () => {
    const tenant = await t.tenant();
    const types = (await t.call('GET', '/v1/program-types', { key: tenant.key })).json().data;
    expect(types.map((x: { program_type: string }) => x.program_type).sort()).toEqual([
      'installment_loan',
      'lease',
      'line_of_credit',
    ]);
    const installment = types.find((x: { program_type: string }) => x.program_type === 'installment_loan');
    expect(installment.terms_schema.required).toContain('annual_interest_rate');
    expect(installment.request_schema.required).toEqual(
      expect.arrayContaining(['principal', 'disbursement_date']),
    );
  });
});

describe('the console at /console', () => {
  it('is served with a content security policy, deep links answer the page, assets are immutable', async () => {
    const root = await t.call('GET', '/console');
    expect(root.statusCode).toBe(302);
    const deep = await t.call('GET', '/console/loans/0190-anything');
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="\/console\/assets\/([^"]+\.js)"/.exec(deep.body)![1];
    const asset = await t.call('GET', `/console/assets/${script}`);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await t.call('GET', '/console/assets/nothing.js')).statusCode).toBe(404);
  });
});
