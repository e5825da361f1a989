import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { lineTenant, openLine } from '../lending/line-of-credit-support.js';
import { type CardProgram, cardProgram } from './fixture.js';

// Issue 16, item 10: a card or a card line owned by a loan must name a loan of the same tenant. Another tenant's
// loan was accepted, its spend approved, and the funding draw failed later.
let t: TestApp;
let p: CardProgram;
let ownLoan: string;
let otherTenantsLoan: string;
beforeAll(async () => {
  t = await startTestApp();
  const mine = await lineTenant(t);
  ownLoan = await openLine(mine.call, mine.programId);
  const theirs = await lineTenant(t);
  otherTenantsLoan = await openLine(theirs.call, theirs.programId);
  p = await cardProgram(t, { tenant: mine.tenant });
});
afterAll(() => t.close());

const post = (url: string, body: unknown) => t.call('POST', url, { key: p.tenant.key, body });
const card = (ownerRef: string, ownerType = 'loan') =>
  post('/v1/card-authorizations/cards', {
    card_id: `card_${randomUUID()}`,
    owner_type: ownerType,
    owner_ref: ownerRef,
  });
const line = (ownerRef: string, ownerType = 'loan') =>
  post('/v1/card-authorizations/lines-of-credit', {
    owner_type: ownerType,
    owner_ref: ownerRef,
    expense_category_id: p.categories.all,
    currency: 'USD',
    credits_limit: 10_000,
  });
const count = async (url: string) =>
  (await t.call('GET', url, { key: p.tenant.key })).json().data.length as number;

describe('loan owners', () => {
  it.each([
    ['another tenant’s loan', () => otherTenantsLoan],
    ['a loan that does not exist', () => randomUUID()],
  ])('refuses a card and a line owned by %s with a 422 naming owner_ref, writing nothing', async (_, ref) => {
    const owner = ref();
    for (const r of [await card(owner), await line(owner)]) {
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ code: 'unknown_owner', errors: [{ path: 'owner_ref' }] });
    }
    expect(await count(`/v1/card-authorizations/cards?owner_ref=${owner}`)).toBe(0);
    expect(await count(`/v1/card-authorizations/lines-of-credit?owner_ref=${owner}`)).toBe(0);
  });

  it('accepts a card and a line owned by a loan of the tenant', async () => {
    expect((await card(ownLoan)).statusCode).toBe(201);
    expect((await line(ownLoan)).statusCode).toBe(201);
  });

  it('leaves other owner types to the tenant (customers, teams… are not checked)', async () => {
    expect((await card(randomUUID(), 'team')).statusCode).toBe(201);
    expect((await line(randomUUID(), 'team')).statusCode).toBe(201);
  });
});
