import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cashMovement,
  DEFAULT_SCHWAB_CLIENT,
  type SchwabSimulator,
  SEED_MARGIN_ACCOUNT,
  startSchwabSimulator,
} from '../../sandbox/simulators/schwab/index.js';
import { connections } from '../../src/modules/aggregation/store.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { accountsOf, configure, get, type Lender, lender, transactionsOf } from './helpers.js';

const START = Date.parse('2025-04-20T12:00:00Z');
const MINUTE = 60_000;
let clock = START;
let sim: SchwabSimulator;
let t: TestApp;
let acme: Lender;

/** Moves our clock and the simulator's together. */
const advance = (ms: number) => {
  clock += ms;
  sim.clock.set(clock);
};

beforeAll(async () => {
  sim = await startSchwabSimulator({
    startTime: START,
    clients: [
      DEFAULT_SCHWAB_CLIENT,
      {
        clientId: 'other-app',
        clientSecret: 'other-secret',
        redirectUris: [DEFAULT_SCHWAB_CLIENT.redirectUris[1]!],
      },
    ],
  });
  // The default redirect URI is PLINTH_PUBLIC_URL + /v1/oauth/schwab/callback, as registered with the app.
  t = await startTestApp({
    now: () => new Date(clock),
    env: { PLINTH_PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'trace' },
  });
  acme = await lender(t, 'Acme');
  await configure(t, acme, 'schwab', {
    client_id: DEFAULT_SCHWAB_CLIENT.clientId,
    client_secret: DEFAULT_SCHWAB_CLIENT.clientSecret,
    base_url: sim.url,
  });
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

/** Starts the flow and plays the customer's browser at Schwab: returns the callback's query. */
async function consent(l: Lender, connectionId?: string): Promise<{ id: string; query: URLSearchParams }> {
  const r = connectionId
    ? await t.call('POST', `/v1/connections/${connectionId}/reauthorize`, { key: l.key, body: {} })
    : await t.call('POST', '/v1/connections', {
        key: l.key,
        body: { customer_id: l.customerId, provider: 'schwab' },
      });
  expect(r.statusCode).toBe(connectionId ? 200 : 201);
  const { connection, authorization_url } = r.json();
  expect(connection.status).toBe('pending');
  const browser = await fetch(authorization_url, { redirect: 'manual' });
  expect(browser.status).toBe(302);
  return { id: connection.id, query: new URL(browser.headers.get('location')!).searchParams };
}

const callback = (query: URLSearchParams | string) =>
  t.call('GET', `/v1/oauth/schwab/callback?${query.toString()}`);

const sync = (l: Lender, id: string, body: Record<string, unknown> = {}) =>
  t.call('POST', `/v1/connections/${id}/sync`, { key: l.key, body });

let connectionId: string;

describe('Schwab: OAuth authorization code', () => {
  it('the authorization URL carries a state; the callback exchanges the code with HTTP Basic', async () => {
    const { id, query } = await consent(acme);
    expect(query.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = sim.requests.length;
    const r = await callback(query);
    expect(r.statusCode).toBe(200);
    expect(r.json().connection).toMatchObject({ id, status: 'active', provider: 'schwab' });
    const token = sim.requests.slice(before).find((q) => q.path === '/v1/oauth/token')!;
    expect(token.headers.authorization).toBe(
      `Basic ${Buffer.from(`${DEFAULT_SCHWAB_CLIENT.clientId}:${DEFAULT_SCHWAB_CLIENT.clientSecret}`).toString('base64')}`,
    );
    expect(JSON.stringify(r.json())).not.toMatch(/access_token|refresh_token|credentials/);
    connectionId = id;
    // The state is single-use.
    const again = await callback(query);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      code: 'invalid_oauth_state',
      detail: expect.stringContaining('already used'),
    });
  });

  it('refuses a missing, unknown, expired or foreign state, and stores no tokens', async () => {
    expect((await callback('code=abc')).json().code).toBe('invalid_oauth_state');
    expect((await callback('code=abc&state=never-issued')).statusCode).toBe(400);
    const { id, query } = await consent(acme);
    advance(11 * MINUTE);
    const late = await callback(query);
    expect(late.json()).toMatchObject({ status: 400, detail: expect.stringContaining('expired') });
    const conn = await get<{ status: string }>(t, acme, `/v1/connections/${id}`);
    expect(conn.status).toBe('pending');
    // A code from another tenant's Schwab app, brought back with this tenant's state: Schwab refuses it.
    const other = await lender(t, 'Other');
    await configure(t, other, 'schwab', {
      client_id: 'other-app',
      client_secret: 'other-secret',
      base_url: sim.url,
    });
    const mine = await consent(acme);
    const theirs = await consent(other);
    const mixed = new URLSearchParams({ code: theirs.query.get('code')!, state: mine.query.get('state')! });
    const r = await callback(mixed);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'authorization_code_rejected', connection_id: mine.id });
    expect((await get<{ status: string }>(t, acme, `/v1/connections/${mine.id}`)).status).toBe('failed');
    // Their state, at their connection: still theirs alone.
    expect((await t.call('GET', `/v1/connections/${theirs.id}`, { key: acme.key })).statusCode).toBe(404);
  });

  it('a refused consent fails the connection', async () => {
    sim.setConsent('deny');
    const { id, query } = await consent(acme);
    sim.setConsent('approve');
    expect(query.get('error')).toBe('access_denied');
    const r = await callback(query);
    expect(r.json()).toMatchObject({ status: 400, code: 'authorization_denied', connection_id: id });
  });
});

describe('Schwab: sync', () => {
  it('reads accounts through their hashes, transactions in 60-day windows, positions as holdings', async () => {
    const before = sim.requests.length;
    const r = await sync(acme, connectionId, { start_date: '2025-01-01' });
    expect(r.statusCode).toBe(200);
    const run = r.json().sync_run;
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'initial',
      snapshot_source: 'initial_connection',
    });
    expect(run.result.accounts_imported).toBe(2);
    const calls = sim.requests.slice(before);
    const windows = calls.filter((c) => c.path.endsWith('/transactions'));
    expect(windows.length).toBe(4); // 110 days, two accounts: two windows each
    for (const c of calls) expect(c.path).not.toContain(SEED_MARGIN_ACCOUNT);
    const accounts = await accountsOf(t, acme);
    expect(accounts.map((a) => a.provider_account_id).sort()).toEqual(
      sim.accounts.map((a) => sim.hashOf(a.accountNumber)).sort(),
    );
    const margin = accounts.find((a) => a.provider_account_id === sim.hashOf(SEED_MARGIN_ACCOUNT))!;
    expect((await transactionsOf(t, acme, margin.id)).length).toBeGreaterThan(3);
    const holdings = await get<{ data: { symbol: string }[] }>(t, acme, `/v1/accounts/${margin.id}/holdings`);
    expect(holdings.data.length).toBe(sim.accounts[0]!.positions.length);
    const snaps = await get<{ data: { source: string; holdings_value: number }[] }>(
      t,
      acme,
      `/v1/accounts/${margin.id}/balance-snapshots`,
    );
    expect(snaps.data).toEqual([expect.objectContaining({ source: 'initial_connection' })]);
  });

  it('at most one sync every 5 minutes unless forced; each writes snapshots tagged by source', async () => {
    const r = await sync(acme, connectionId);
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.json().code).toBe('sync_too_soon');
    const forced = await sync(acme, connectionId, { force: true, scope: 'holdings' });
    expect(forced.json().sync_run).toMatchObject({ status: 'succeeded', snapshot_source: 'holdings_sync' });
    advance(6 * MINUTE);
    const later = await sync(acme, connectionId, { scope: 'accounts' });
    expect(later.json().sync_run.snapshot_source).toBe('account_sync');
    const [account] = await accountsOf(t, acme);
    const sources = (
      await get<{ data: { source: string }[] }>(t, acme, `/v1/accounts/${account!.id}/balance-snapshots`)
    ).data.map((s) => s.source);
    expect(sources).toEqual(['account_sync', 'holdings_sync', 'initial_connection']);
  });

  it('refreshes the access token before it expires, and follows a rotated refresh token', async () => {
    advance(31 * MINUTE);
    const r = await sync(acme, connectionId);
    expect(r.json().sync_run.result).toMatchObject({ token_refreshed: true, refresh_token_rotated: false });
    sim.setRefreshTokenRotation(true);
    advance(31 * MINUTE);
    const rotated = await sync(acme, connectionId);
    expect(rotated.json().sync_run.result).toMatchObject({
      token_refreshed: true,
      refresh_token_rotated: true,
    });
    advance(31 * MINUTE);
    // The old refresh token is void now; the stored one is the new one.
    const next = await sync(acme, connectionId);
    expect(next.json().sync_run).toMatchObject({ status: 'succeeded', result: { token_refreshed: true } });
    sim.setRefreshTokenRotation(false);
  });

  it('a 401 triggers a refresh and one retry', async () => {
    advance(6 * MINUTE);
    sim.expireAccessTokens();
    const r = await sync(acme, connectionId);
    expect(r.json().sync_run).toMatchObject({ status: 'succeeded', result: { token_refreshed: true } });
  });

  it('honours Retry-After on 429, retries 5xx, and reschedules when the provider stays down', async () => {
    advance(6 * MINUTE);
    sim.rateLimit({ path: /\/trader\/v1\/accounts$/, retryAfter: '1' });
    sim.failWith({ path: /transactions$/, status: 503 });
    const ok = await sync(acme, connectionId);
    expect(ok.json().sync_run.status).toBe('succeeded');
    advance(6 * MINUTE);
    sim.rateLimit({ path: /\/trader\/v1\/accounts$/, retryAfter: '120' });
    const limited = await sync(acme, connectionId);
    expect(limited.statusCode).toBe(503);
    expect(limited.headers['retry-after']).toBe('120');
    expect(limited.json()).toMatchObject({ code: 'provider_rate_limited', retry_after_seconds: 120 });
    const conn = await get<{ status: string; next_sync_at: string }>(
      t,
      acme,
      `/v1/connections/${connectionId}`,
    );
    expect(conn.status).toBe('active');
    expect(Date.parse(conn.next_sync_at)).toBe(clock + 120_000);
    const runs = await get<{ data: { status: string; error: { code: string } | null }[] }>(
      t,
      acme,
      `/v1/connections/${connectionId}/sync-runs`,
    );
    expect(runs.data[0]).toMatchObject({ status: 'failed', error: { code: 'provider_rate_limited' } });
    advance(6 * MINUTE);
    sim.failWith({ status: 502, times: 10 });
    expect((await sync(acme, connectionId)).json().code).toBe('provider_unavailable');
    sim.clearFaults();
  });

  it('a posted transaction replaces the pending one it settles, never beside it', async () => {
    advance(6 * MINUTE);
    const margin = sim.accounts[0]!;
    margin.transactions.push(
      cashMovement({
        activityId: 99_000_000_001,
        accountNumber: margin.accountNumber,
        at: '2025-04-18T15:00:00Z',
        type: 'ACH_DISBURSEMENT',
        amount: '-250.00',
        description: 'ACH OUT RENT',
        status: 'PENDING',
      }),
    );
    await sync(acme, connectionId);
    const [account] = (await accountsOf(t, acme)).filter(
      (a) => a.provider_account_id === sim.hashOf(margin.accountNumber),
    );
    const pending = (await transactionsOf(t, acme, account!.id)).filter((x) => x.status === 'pending');
    expect(pending).toHaveLength(1);
    margin.transactions.pop();
    margin.transactions.push(
      cashMovement({
        activityId: 99_000_000_002,
        accountNumber: margin.accountNumber,
        at: '2025-04-19T15:00:00Z',
        type: 'ACH_DISBURSEMENT',
        amount: '-250.00',
        description: 'ACH OUT RENT',
      }),
    );
    advance(6 * MINUTE);
    const r = await sync(acme, connectionId);
    expect(r.json().sync_run.result).toMatchObject({ pending_settled: 1, transactions_imported: 1 });
    const rent = (await transactionsOf(t, acme, account!.id)).filter((x) => x.description === 'ACH OUT RENT');
    expect(rent).toEqual([
      expect.objectContaining({
        status: 'settled',
        provider_transaction_id: '99000000002',
        pending_transaction_id: '99000000001',
      }),
    ]);
  });

  it('an access token still refused after a refresh expires the connection', async () => {
    const other = await lender(t, 'Refused');
    await configure(t, other, 'schwab', {
      client_id: DEFAULT_SCHWAB_CLIENT.clientId,
      client_secret: DEFAULT_SCHWAB_CLIENT.clientSecret,
      base_url: sim.url,
    });
    const { id, query } = await consent(other);
    await callback(query);
    sim.failWith({ path: /\/trader\/v1\//, status: 401, times: 2 });
    const before = sim.requests.length;
    const r = await sync(other, id);
    expect(r.json()).toMatchObject({ code: 'reauthorization_required', connection_status: 'expired' });
    const paths = sim.requests.slice(before).map((q) => q.path);
    expect(paths).toEqual([
      '/trader/v1/accounts/accountNumbers',
      '/v1/oauth/token',
      '/trader/v1/accounts/accountNumbers',
    ]);
  });

  it('past the 7-day refresh limit the connection expires and asks for re-authorization', async () => {
    advance(8 * 24 * 60 * MINUTE);
    const r = await sync(acme, connectionId);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'reauthorization_required', connection_status: 'expired' });
    const conn = await get<{ status: string; status_reason: string }>(
      t,
      acme,
      `/v1/connections/${connectionId}`,
    );
    expect(conn).toMatchObject({
      status: 'expired',
      status_reason: expect.stringContaining('authorize again'),
    });
    expect((await sync(acme, connectionId)).json().code).toBe('connection_not_active');
    const { query } = await consent(acme, connectionId);
    expect((await callback(query)).json().connection.status).toBe('active');
    advance(6 * MINUTE);
    expect((await sync(acme, connectionId)).json().sync_run.status).toBe('succeeded');
  });

  it("another tenant's connection is not found; a disconnect erases the credentials", async () => {
    const other = await lender(t, 'Stranger');
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/sync'],
      ['GET', '/sync-runs'],
      ['POST', '/reauthorize'],
      ['DELETE', ''],
    ] as const)
      expect(
        (
          await t.call(method, `/v1/connections/${connectionId}${path}`, {
            key: other.key,
            body: method === 'POST' ? {} : undefined,
          })
        ).statusCode,
      ).toBe(404);
    const r = await t.call('DELETE', `/v1/connections/${connectionId}`, { key: acme.key });
    expect(r.json().status).toBe('disconnected');
    const [row] = await t.ctx.database.db.select().from(connections).where(eq(connections.id, connectionId));
    expect(row!.credentials).toBeNull();
    expect((await t.call('DELETE', `/v1/connections/${connectionId}`, { key: acme.key })).json().code).toBe(
      'invalid_status_transition',
    );
  });

  it('no token or secret reaches the logs', () => {
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(20);
    expect(logs).not.toContain(DEFAULT_SCHWAB_CLIENT.clientSecret);
    expect(logs).not.toMatch(/[IR]0\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}@/);
    expect(logs).not.toContain(acme.key);
  });
});
