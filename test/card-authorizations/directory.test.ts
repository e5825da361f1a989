import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardDirectory } from '../../src/modules/card-authorizations/decisions/directory.js';
import type { PendingTransaction } from '../../src/modules/card-authorizations/domain/resolvers.js';
import { cardOwnerResolver } from '../../src/modules/card-authorizations/providers/card_owner/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CardProgram, cardProgram } from './fixture.js';

let t: TestApp;
let p: CardProgram;

beforeAll(async () => {
  t = await startTestApp();
  p = await cardProgram(t);
});
afterAll(() => t.close());

const pending = (cardId: string): PendingTransaction => ({
  amount: 100,
  currency: 'EUR',
  cardId,
  merchantInfo: {
    merchantId: 'M1',
    acquirerId: null,
    mcc: '5411',
    name: null,
    country: null,
    postalCode: null,
    city: null,
  },
  provider: 'generic',
  externalId: 'auth_1',
});

// The decision path relies on these answers being plain values once loaded: a promise would cost every
// decision a microtask, and the line resolver a timer racing its budget. Caching is checked on a directory of
// the test's own: the module's is also dropped by the NOTIFY of every change, which PostgreSQL delivers late.
describe('card directory', () => {
  it('loads a card once, then answers it (and an unknown card) without a promise', async () => {
    const holder = await p.cardholder({ all: 1_000 });
    const directory = new CardDirectory(t.ctx.database.db);
    const loading = directory.card(p.tenant.id, holder.cardId);
    expect(loading).toBeInstanceOf(Promise);
    const owner = await loading;
    expect(owner).toMatchObject({ ownerType: 'customer', ownerRef: holder.ownerRef, status: 'active' });
    expect(directory.card(p.tenant.id, holder.cardId)).toBe(owner);

    expect(await directory.card(p.tenant.id, 'card_nobody')).toBeNull();
    expect(directory.card(p.tenant.id, 'card_nobody')).toBeNull();

    const categories = await directory.categories(p.tenant.id);
    expect(categories.get('all')?.id).toBe(p.categories.all);
    expect(directory.categories(p.tenant.id)).toBe(categories);

    directory.invalidate(p.tenant.id);
    expect(directory.card(p.tenant.id, holder.cardId)).toBeInstanceOf(Promise);
    expect(directory.categories(p.tenant.id)).toBeInstanceOf(Promise);
  });

  it('reloads after a change to the tenant’s cards, and serves the new status', async () => {
    const holder = await p.cardholder({ all: 1_000 });
    const directory = t.ctx.cardAuthorizations.directory;
    await directory.card(p.tenant.id, holder.cardId);
    const [card] = (
      await t.call('GET', `/v1/card-authorizations/cards?card_id=${holder.cardId}`, { key: p.tenant.key })
    ).json().data;
    const frozen = await t.call('PATCH', `/v1/card-authorizations/cards/${card.id}`, {
      key: p.tenant.key,
      body: { status: 'frozen' },
    });
    expect(frozen.statusCode).toBe(200);
    const reloading = directory.card(p.tenant.id, holder.cardId);
    expect(reloading).toBeInstanceOf(Promise);
    expect(await reloading).toMatchObject({ status: 'frozen' });
  });

  it('lets the card_owner resolver answer synchronously once the card and its lines are cached', async () => {
    const holder = await p.cardholder({ all: 1_000, health: 500 });
    const other = await p.cardholder({ all: 1_000 });
    const view = new CardDirectory(t.ctx.database.db).view(p.tenant.id);
    const resolver = cardOwnerResolver.create({}, {} as never);
    const categories = new Set([p.categories.all!, p.categories.health!]);
    const first = resolver.resolveLinesOfCredit(categories, pending(holder.cardId), view);
    expect(first).toBeInstanceOf(Promise);
    const expected = new Set([holder.lines.all, holder.lines.health]);
    expect(await first).toEqual(expected);
    expect(resolver.resolveLinesOfCredit(categories, pending(holder.cardId), view)).toEqual(expected);
    // A category the owner has no line for: nothing, never a partial set.
    await resolver.resolveLinesOfCredit(categories, pending(other.cardId), view);
    expect(resolver.resolveLinesOfCredit(categories, pending(other.cardId), view)).toBeNull();
  });
});
