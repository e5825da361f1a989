import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let a: { id: string; key: string };
let b: { id: string; key: string };
const BASE = '/v1/card-authorizations';

beforeAll(async () => {
  t = await startTestApp();
  a = await t.tenant('A');
  b = await t.tenant('B');
});
afterAll(() => t.close());

const call = (tenant: { key: string }, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
  t.call(method, url, { key: tenant.key, body });

describe('expense categories', () => {
  it('creates, gets, finds by code and lists', async () => {
    const r = await call(a, 'POST', `${BASE}/expense-categories`, {
      code: 'groceries',
      name: 'Groceries',
      description: 'Food shops',
      reference: 'ext-1',
    });
    expect(r.statusCode).toBe(201);
    const created = r.json();
    expect(created).toMatchObject({
      code: 'groceries',
      name: 'Groceries',
      reference: 'ext-1',
      terminated_at: null,
    });
    expect((await call(a, 'GET', `${BASE}/expense-categories/${created.id}`)).json()).toEqual(created);
    expect((await call(a, 'GET', `${BASE}/expense-categories?code=groceries`)).json().data).toEqual([
      created,
    ]);
    expect((await call(a, 'GET', `${BASE}/expense-categories?code=nope`)).json().data).toEqual([]);
    expect(
      (await call(a, 'GET', `${BASE}/expense-categories`)).json().data.map((c: { id: string }) => c.id),
    ).toContain(created.id);
  });

  it('refuses a duplicate code with problem+json, and writes nothing', async () => {
    await call(a, 'POST', `${BASE}/expense-categories`, { code: 'fuel', name: 'Fuel' });
    const dup = await call(a, 'POST', `${BASE}/expense-categories`, { code: 'fuel', name: 'Fuel again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.headers['content-type']).toContain('application/problem+json');
    expect(dup.json()).toMatchObject({ code: 'duplicate_expense_category', errors: [{ path: 'code' }] });
    // Another tenant may use the same code.
    expect(
      (await call(b, 'POST', `${BASE}/expense-categories`, { code: 'fuel', name: 'Fuel' })).statusCode,
    ).toBe(201);
  });

  it('validates the body (400 naming the field)', async () => {
    const r = await call(a, 'POST', `${BASE}/expense-categories`, { code: 'has space', name: '' });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['code', 'name']);
  });

  it('offers the seed’s lookups as services', async () => {
    const scope = { tenantId: a.id, actor: SYSTEM_ACTOR };
    const svc = t.ctx.cardAuthorizations.categories;
    const pharmacy = await svc.createExpenseCategory(scope, { code: 'pharmacy', name: 'Pharmacy' });
    if (!pharmacy.ok) throw new Error('fixture');
    expect(await svc.getExpenseCategoryIdByCode(scope, 'pharmacy')).toEqual({
      ok: true,
      value: pharmacy.value.id,
    });
    expect(await svc.getExpenseCategoryIdByCode(scope, 'missing')).toMatchObject({
      ok: false,
      error: { kind: 'not_found' },
    });
    // The result may be smaller than the input.
    expect(await svc.getExpenseCategoryIdsByCodes(scope, new Set(['pharmacy', 'missing']))).toEqual(
      new Set([pharmacy.value.id]),
    );
  });

  it('terminates once; a terminated category takes no new line', async () => {
    const c = (
      await call(a, 'POST', `${BASE}/expense-categories`, { code: 'travel', name: 'Travel' })
    ).json();
    const done = await call(a, 'POST', `${BASE}/expense-categories/${c.id}/terminate`);
    expect(done.json().terminated_at).not.toBeNull();
    expect((await call(a, 'POST', `${BASE}/expense-categories/${c.id}/terminate`)).json().code).toBe(
      'expense_category_terminated',
    );
    const line = await call(a, 'POST', `${BASE}/lines-of-credit`, {
      owner_type: 'customer',
      owner_ref: randomUUID(),
      expense_category_id: c.id,
      currency: 'EUR',
    });
    expect(line.statusCode).toBe(409);
    expect(line.json().code).toBe('expense_category_terminated');
    // Hidden from the default listing, shown on request.
    const listed = (await call(a, 'GET', `${BASE}/expense-categories`))
      .json()
      .data.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(c.id);
    const all = (await call(a, 'GET', `${BASE}/expense-categories?include_terminated=true`)).json().data;
    expect(all.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('hides one tenant’s categories from another (404)', async () => {
    const c = (
      await call(a, 'POST', `${BASE}/expense-categories`, { code: 'private', name: 'Private' })
    ).json();
    expect((await call(b, 'GET', `${BASE}/expense-categories/${c.id}`)).statusCode).toBe(404);
    expect((await call(b, 'POST', `${BASE}/expense-categories/${c.id}/terminate`)).statusCode).toBe(404);
    expect((await call(b, 'GET', `${BASE}/expense-categories?code=private`)).json().data).toEqual([]);
    expect((await call(a, 'GET', `${BASE}/expense-categories/not-a-uuid`)).statusCode).toBe(404);
  });
});

describe('lines of credit', () => {
  let category: string;
  let other: string;
  beforeAll(async () => {
    category = (await call(a, 'POST', `${BASE}/expense-categories`, { code: 'meals', name: 'Meals' })).json()
      .id;
    other = (await call(a, 'POST', `${BASE}/expense-categories`, { code: 'books', name: 'Books' })).json().id;
  });

  const create = (owner: string, over: Record<string, unknown> = {}) =>
    call(a, 'POST', `${BASE}/lines-of-credit`, {
      owner_type: 'customer',
      owner_ref: owner,
      expense_category_id: category,
      currency: 'EUR',
      credits_limit: 10_000,
      ...over,
    });

  it('creates a line with its tracker; available = limit − expensed', async () => {
    const owner = randomUUID();
    const r = await create(owner, { expensed_credits: 2_500 });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      owner_type: 'customer',
      owner_ref: owner,
      expense_category_id: category,
      currency: 'EUR',
      credits_limit: 10_000,
      expensed_credits: 2_500,
      available_credits: 7_500,
      terminated_at: null,
    });
    const defaults = await create(randomUUID(), { credits_limit: undefined });
    expect(defaults.json()).toMatchObject({ credits_limit: 0, expensed_credits: 0, available_credits: 0 });
  });

  it('allows one open line per owner and category, and a new one after termination', async () => {
    const owner = randomUUID();
    const first = (await create(owner)).json();
    const dup = await create(owner);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_line_of_credit');
    expect((await create(owner, { expense_category_id: other })).statusCode).toBe(201);
    await call(a, 'POST', `${BASE}/lines-of-credit/${first.id}/terminate`);
    expect((await create(owner)).statusCode).toBe(201);
  });

  it('finds lines by owner and category, as the seed’s lookups do', async () => {
    const owner = randomUUID();
    const meals = (await create(owner)).json();
    const books = (await create(owner, { expense_category_id: other })).json();
    const scope = { tenantId: a.id, actor: SYSTEM_ACTOR };
    const svc = t.ctx.cardAuthorizations.lines;
    expect(await svc.getLineOfCreditIdForOwnerAndExpenseCategoryId(scope, 'customer', owner, category)).toBe(
      meals.id,
    );
    expect(
      await svc.getLineOfCreditIdForOwnerAndExpenseCategoryId(scope, 'customer', randomUUID(), category),
    ).toBeNull();
    expect(
      await svc.getLineOfCreditIdsForOwnerAndExpenseCategoryIds(
        scope,
        'customer',
        owner,
        new Set([category, other, randomUUID()]),
      ),
    ).toEqual(new Set([meals.id, books.id]));
    expect((await svc.getLinesOfCreditForOwner(scope, 'customer', owner)).map((l) => l.id).sort()).toEqual(
      [meals.id, books.id].sort(),
    );
    const listed = await call(
      a,
      'GET',
      `${BASE}/lines-of-credit?owner_type=customer&owner_ref=${owner}&expense_category_id=${other}`,
    );
    expect(listed.json().data.map((l: { id: string }) => l.id)).toEqual([books.id]);
  });

  it('sets the limit and resets the credits; a lower limit than expensed is allowed', async () => {
    const line = (await create(randomUUID(), { expensed_credits: 4_000 })).json();
    const set = await call(a, 'PUT', `${BASE}/lines-of-credit/${line.id}/credits-limit`, {
      credits_limit: 3_000,
    });
    expect(set.json()).toMatchObject({
      credits_limit: 3_000,
      expensed_credits: 4_000,
      available_credits: -1_000,
    });
    const reset = await call(a, 'POST', `${BASE}/lines-of-credit/${line.id}/reset-credits`, {
      credits_limit: 20_000,
      expensed_credits: 0,
    });
    expect(reset.json()).toMatchObject({
      credits_limit: 20_000,
      expensed_credits: 0,
      available_credits: 20_000,
    });
    const bad = await call(a, 'PUT', `${BASE}/lines-of-credit/${line.id}/credits-limit`, {
      credits_limit: -1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('credits_limit');
  });

  it('refuses changes to a terminated line', async () => {
    const line = (await create(randomUUID())).json();
    const done = await call(a, 'POST', `${BASE}/lines-of-credit/${line.id}/terminate`);
    expect(done.json().terminated_at).not.toBeNull();
    for (const [method, url, body] of [
      ['PUT', `${BASE}/lines-of-credit/${line.id}/credits-limit`, { credits_limit: 1 }],
      ['POST', `${BASE}/lines-of-credit/${line.id}/reset-credits`, { credits_limit: 1, expensed_credits: 0 }],
      ['POST', `${BASE}/lines-of-credit/${line.id}/terminate`, undefined],
    ] as const) {
      const r = await call(a, method, url, body);
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('line_of_credit_terminated');
    }
  });

  it('validates owners, categories and currencies', async () => {
    const bad = await call(a, 'POST', `${BASE}/lines-of-credit`, {
      owner_type: 'Customer!',
      owner_ref: 'nope',
      expense_category_id: category,
      currency: 'EURO',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['currency', 'owner_ref', 'owner_type']);
    const unknown = await create(randomUUID(), { expense_category_id: randomUUID() });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('expense_category_id');
  });

  it('hides one tenant’s lines from another (404), and its categories too', async () => {
    const line = (await create(randomUUID())).json();
    for (const [method, url, body] of [
      ['GET', `${BASE}/lines-of-credit/${line.id}`, undefined],
      ['PUT', `${BASE}/lines-of-credit/${line.id}/credits-limit`, { credits_limit: 1 }],
      ['POST', `${BASE}/lines-of-credit/${line.id}/reset-credits`, { credits_limit: 1, expensed_credits: 0 }],
      ['POST', `${BASE}/lines-of-credit/${line.id}/terminate`, undefined],
    ] as const)
      expect((await call(b, method, url, body)).statusCode).toBe(404);
    const crossCategory = await call(b, 'POST', `${BASE}/lines-of-credit`, {
      owner_type: 'customer',
      owner_ref: randomUUID(),
      expense_category_id: category,
      currency: 'EUR',
    });
    expect(crossCategory.statusCode).toBe(422);
    expect((await call(b, 'GET', `${BASE}/lines-of-credit`)).json().data).toEqual([]);
  });

  it('audits every change', async () => {
    const line = (await create(randomUUID())).json();
    await call(a, 'PUT', `${BASE}/lines-of-credit/${line.id}/credits-limit`, { credits_limit: 5 });
    const log = (await call(a, 'GET', `/v1/audit-log?entity_id=${line.id}`)).json().data;
    expect(log.map((e: { action: string }) => e.action).sort()).toEqual([
      'card_line_of_credit.created',
      'card_line_of_credit.credits_limit_set',
    ]);
  });
});
