import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/kernel/dates.js';
import type { DomainEvent } from '../../src/kernel/events.js';
import { LENDING_EVENTS, reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from './fixtures.js';
import { lineTenant, openLine } from './line-of-credit-support.js';

// A loan's servicing status (servicing-status/, migration 0018) over HTTP: collection placements and recalls,
// repossession, surrender and reinstatement. Each is refused naming the state (409) or the field (422), honours
// If-Match, is audited and published, is another tenant's 404, a viewer's 403, and moves no money.
let t: TestApp;
let env: Awaited<ReturnType<typeof setup>>;
let loan: string;
const published: DomainEvent[] = [];

beforeAll(async () => {
  t = await startTestApp();
  t.ctx.platform.events.subscribe(LENDING_EVENTS.servicingStatusChanged, async (events) => {
    published.push(...events);
  });
  env = await setup(t, '2024-01-15');
  loan = await activeLoan(env.call, env.programId);
  // The 2024-02-15 installment goes unpaid: 33 days past due on 2024-03-19.
  expect((await env.call('POST', '/v1/close-of-business', { date: '2024-03-18' })).statusCode).toBe(200);
}, 120_000);
afterAll(() => t.close());

const statusOf = async (id: string) => (await env.call('GET', `/v1/loans/${id}/servicing-status`)).json();
const errorPaths = (r: { json(): { errors?: { path: string }[] } }) => r.json().errors?.map((e) => e.path);

describe('servicing status', () => {
  it('starts empty, answering the loan’s ETag', async () => {
    const r = await env.call('GET', `/v1/loans/${loan}/servicing-status`);
    expect(r.statusCode).toBe(200);
    const etag = (await env.call('GET', `/v1/loans/${loan}`)).headers.etag;
    expect(r.headers.etag).toBe(etag);
    expect(r.json()).toMatchObject({
      loan_id: loan,
      business_date: '2024-03-19',
      collection: null,
      collateral: null,
    });
    expect(r.json().history).toEqual([]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    // As every route here: a body its schema refuses is 400 validation_failed, a date out of bounds 422; both
    // name the field.
    const cases: [string, unknown, number, string][] = [
      ['collection-placements', { effective_date: '2024-03-20' }, 422, 'effective_date'], // after the business date
      ['collection-placements', { effective_date: '2024-01-14' }, 422, 'effective_date'], // before the loan started
      ['collection-placements', { effective_date: '2024-02-30' }, 400, 'effective_date'],
      ['collection-placements', { agency: '  ' }, 400, 'agency'],
      ['collection-placements', { agency: 'A'.repeat(101) }, 400, 'agency'],
      ['repossessions', { agency: 'Acme' }, 400, 'agency'], // an agency is a placement's only
      ['surrenders', { effective_date: 20240301 }, 400, 'effective_date'],
    ];
    for (const [path, body, status, field] of cases) {
      const r = await env.call('POST', `/v1/loans/${loan}/${path}`, body);
      expect([path, body, r.statusCode, errorPaths(r)]).toEqual([path, body, status, [field]]);
    }
    expect((await statusOf(loan)).history).toEqual([]);
  });

  it('refuses a change the state does not allow, naming the state (409)', async () => {
    const recall = await env.call('POST', `/v1/loans/${loan}/collection-recalls`, {});
    expect(recall.statusCode).toBe(409);
    expect(recall.json()).toMatchObject({
      code: 'invalid_state_transition',
      loan_status: 'delinquent',
      action: 'collection_recall',
    });
    expect(recall.json().detail).toMatch(/not placed in collection/);
    const reinstate = await env.call('POST', `/v1/loans/${loan}/reinstatements`);
    expect(reinstate.statusCode).toBe(409);
    expect(reinstate.json().detail).toMatch(/no collateral/);

    // an application: nothing to collect yet
    const created = await env.call('POST', '/v1/loans', {
      program_id: env.programId,
      principal: 100_000,
      disbursement_date: '2024-03-19',
    });
    const application = created.json().id as string;
    const placed = await env.call('POST', `/v1/loans/${application}/collection-placements`, {});
    expect(placed.statusCode).toBe(409);
    expect(placed.json()).toMatchObject({ code: 'invalid_state_transition', loan_status: 'application' });

    // a paid-off loan has no collateral left to take
    const paid = await activeLoan(env.call, env.programId, { principal: 100_000 });
    expect((await env.call('POST', `/v1/loans/${paid}/payments`, { payoff: true })).statusCode).toBe(201);
    const repo = await env.call('POST', `/v1/loans/${paid}/repossessions`, {});
    expect(repo.statusCode).toBe(409);
    expect(repo.json()).toMatchObject({ loan_status: 'paid_off', action: 'repossession' });

    // a line of credit has no collateral at all; it can be placed in collection
    const lines = await lineTenant(t);
    const line = await openLine(lines.call, lines.programId);
    const lineRepo = await lines.call('POST', `/v1/loans/${line}/surrenders`, {});
    expect(lineRepo.statusCode).toBe(409);
    expect(lineRepo.json()).toMatchObject({ product: 'line_of_credit' });
    expect(lineRepo.json().detail).toMatch(/has no collateral/);
    expect((await lines.call('POST', `/v1/loans/${line}/collection-placements`, {})).statusCode).toBe(201);
  });

  it('places, repossesses and reinstates: history, If-Match, audit, one event each, and no money moved', async () => {
    const before = await env.call('GET', `/v1/loans/${loan}`);
    const version = Number(JSON.parse(before.headers.etag as string));

    const stale = await env.call(
      'POST',
      `/v1/loans/${loan}/collection-placements`,
      { agency: 'Acme Recovery' },
      { 'if-match': `"${version - 1}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('stale_version');

    const placed = await env.call(
      'POST',
      `/v1/loans/${loan}/collection-placements`,
      { agency: 'Acme Recovery', effective_date: '2024-03-01' },
      { 'if-match': before.headers.etag as string },
    );
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.headers.etag).toBe(`"${version + 1}"`);
    // 30 days after the unpaid 2024-02-15 is 2024-03-16, after the placement: its own date is frozen
    expect(placed.json()).toMatchObject({
      loan_version: version + 1,
      collection: { agency: 'Acme Recovery', since: '2024-03-01', first_delinquency: '2024-03-01' },
      collateral: null,
    });
    const again = await env.call('POST', `/v1/loans/${loan}/collection-placements`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/placed in collection since 2024-03-01/);

    const repossessed = await env.call('POST', `/v1/loans/${loan}/repossessions`, {});
    expect(repossessed.statusCode, repossessed.body).toBe(201);
    expect(repossessed.json().collateral).toEqual({
      kind: 'repossession',
      since: '2024-03-19',
      first_delinquency: '2024-03-16',
    });
    expect((await env.call('POST', `/v1/loans/${loan}/surrenders`, {})).statusCode).toBe(409);
    // the history stays in date order
    const early = await env.call('POST', `/v1/loans/${loan}/reinstatements`, {
      effective_date: '2024-03-18',
    });
    expect(early.statusCode).toBe(422);
    expect(errorPaths(early)).toEqual(['effective_date']);

    // nothing moved: the same outstanding, the same transactions, and the store still equals the replay
    const after = (await env.call('GET', `/v1/loans/${loan}`)).json();
    expect(after.outstanding).toEqual(before.json().outstanding);
    expect(after.transactions).toHaveLength(before.json().transactions.length);
    expect(after.status).toBe('delinquent');
    const problems = await reconcile(
      t.ctx.database.db,
      servicingOf,
      env.tenant.id,
      { asOf: parseDate('2024-03-18'), closeOfBusiness: true },
      [loan],
    );
    expect(problems).toEqual([]);
    // the loan's own writes go on at its new version
    const paid = await env.call(
      'POST',
      `/v1/loans/${loan}/payments`,
      { amount: 50_000 },
      { 'if-match': `"${version + 2}"` },
    );
    expect(paid.statusCode, paid.body).toBe(201);

    const reinstated = await env.call('POST', `/v1/loans/${loan}/reinstatements`, {});
    expect(reinstated.statusCode).toBe(201);
    const recalled = await env.call('POST', `/v1/loans/${loan}/collection-recalls`, {});
    expect(recalled.statusCode).toBe(201);
    const s = recalled.json();
    expect([s.collection, s.collateral]).toEqual([null, null]);
    expect(s.history.map((h: { sequence: number; action: string }) => [h.sequence, h.action])).toEqual([
      [1, 'collection_placement'],
      [2, 'repossession'],
      [3, 'reinstatement'],
      [4, 'collection_recall'],
    ]);
    expect(s.history[0]).toMatchObject({
      agency: 'Acme Recovery',
      loan_status: 'delinquent',
      business_date: '2024-03-19',
      actor: expect.stringMatching(/^api_key:/),
    });

    const audit = await env.call('GET', `/v1/audit-log?entity_type=loan&entity_id=${loan}`);
    expect(audit.json().data.map((a: { action: string }) => a.action)).toEqual([
      'loan.collection_recall',
      'loan.reinstatement',
      'loan.repossession',
      'loan.collection_placement',
    ]);
    await t.ctx.platform.events.drain();
    const mine = published.filter((e) => e.payload.loan_id === loan);
    expect(mine.map((e) => [e.payload.action, e.payload.in_collection, e.payload.collateral])).toEqual([
      ['collection_placement', true, null],
      ['repossession', true, 'repossession'],
      ['reinstatement', true, null],
      ['collection_recall', false, null],
    ]);
    expect(mine[0]!.payload).toMatchObject({ agency: 'Acme Recovery', effective_date: '2024-03-01' });
  });

  it('is another tenant’s 404 and a viewer’s 403', async () => {
    const other = await t.tenant('Other');
    for (const [method, url] of [
      ['GET', `/v1/loans/${loan}/servicing-status`],
      ['POST', `/v1/loans/${loan}/collection-placements`],
      ['POST', `/v1/loans/${loan}/repossessions`],
    ] as const) {
      const r = await t.call(method, url, { key: other.key, ...(method === 'POST' && { body: {} }) });
      expect([url, r.statusCode]).toEqual([url, 404]);
    }
    expect((await env.call('GET', '/v1/loans/not-a-uuid/servicing-status')).statusCode).toBe(404);
    const viewer = await env.call('POST', '/v1/api-keys', { name: 'v', role: 'viewer' });
    const key = viewer.json().api_key as string;
    expect((await t.call('GET', `/v1/loans/${loan}/servicing-status`, { key })).statusCode).toBe(200);
    const refused = await t.call('POST', `/v1/loans/${loan}/collection-placements`, { key, body: {} });
    expect(refused.statusCode).toBe(403);
    expect((await statusOf(loan)).history).toHaveLength(4);
  });
});
