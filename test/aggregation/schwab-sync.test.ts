import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cashMovement,
  DEFAULT_SCHWAB_CLIENT,
  SEED_MARGIN_ACCOUNT,
} from '../../sandbox/simulators/schwab/index.js';
import { accountsOf, get, transactionsOf } from './helpers.js';
import { MINUTE, type SchwabHarness, schwabHarness } from './schwab-harness.js';

let h: SchwabHarness;
let connectionId: string;

beforeAll(async () => {
  h = await schwabHarness();
  const { id, query } = await h.consent(h.acme);
  expect((await h.callback(query)).statusCode).toBe(200);
  connectionId = id;
});
afterAll(() => h.close());

describe('Schwab: sync', () => {
  it('reads accounts through their hashes, transactions in 60-day windows, positions as holdings', async () => {
    const before = h.sim.requests.length;
    const r = await h.sync(h.acme, connectionId, { start_date: '2025-01-01' });
    expect(r.statusCode).toBe(200);
    const run = r.json().sync_run;
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'initial',
      snapshot_source: 'initial_connection',
    });
    expect(run.result.accounts_imported).toBe(2);
    const calls = h.sim.requests.slice(before);
    const windows = calls.filter((c) => c.path.endsWith('/transactions'));
    expect(windows.length).toBe(4); // 110 days, two accounts: two windows each
    for (const c of calls) expect(c.path).not.toContain(SEED_MARGIN_ACCOUNT);
    const accounts = await accountsOf(h.t, h.acme);
    expect(accounts.map((a) => a.provider_account_id).sort()).toEqual(
      h.sim.accounts.map((a) => h.sim.hashOf(a.accountNumber)).sort(),
    );
    const margin = accounts.find((a) => a.provider_account_id === h.sim.hashOf(SEED_MARGIN_ACCOUNT))!;
    expect((await transactionsOf(h.t, h.acme, margin.id)).length).toBeGreaterThan(3);
    const holdings = await get<{ data: { symbol: string }[] }>(
      h.t,
      h.acme,
      `/v1/accounts/${margin.id}/holdings`,
    );
    expect(holdings.data.length).toBe(h.sim.accounts[0]!.positions.length);
    const snaps = await get<{ data: { source: string; holdings_value: number }[] }>(
      h.t,
      h.acme,
      `/v1/accounts/${margin.id}/balance-snapshots`,
    );
    expect(snaps.data).toEqual([expect.objectContaining({ source: 'initial_connection' })]);
  });

  it('at most one sync every 5 minutes unless forced; each writes snapshots tagged by source', async () => {
    const r = await h.sync(h.acme, connectionId);
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.json().code).toBe('sync_too_soon');
    const forced = await h.sync(h.acme, connectionId, { force: true, scope: 'holdings' });
    expect(forced.json().sync_run).toMatchObject({ status: 'succeeded', snapshot_source: 'holdings_sync' });
    h.advance(6 * MINUTE);
    const later = await h.sync(h.acme, connectionId, { scope: 'accounts' });
    expect(later.json().sync_run.snapshot_source).toBe('account_sync');
    const [account] = await accountsOf(h.t, h.acme);
    const sources = (
      await get<{ data: { source: string }[] }>(h.t, h.acme, `/v1/accounts/${account!.id}/balance-snapshots`)
    ).data.map((s) => s.source);
    expect(sources).toEqual(['account_sync', 'holdings_sync', 'initial_connection']);
  });

  it('refreshes the access token before it expires, and follows a rotated refresh token', async () => {
    h.advance(31 * MINUTE);
    const r = await h.sync(h.acme, connectionId);
    expect(r.json().sync_run.result).toMatchObject({ token_refreshed: true, refresh_token_rotated: false });
    h.sim.setRefreshTokenRotation(true);
    h.advance(31 * MINUTE);
    const rotated = await h.sync(h.acme, connectionId);
    expect(rotated.json().sync_run.result).toMatchObject({
      token_refreshed: true,
      refresh_token_rotated: true,
    });
    h.advance(31 * MINUTE);
    // The old refresh token is void now; the stored one is the new one.
    const next = await h.sync(h.acme, connectionId);
    expect(next.json().sync_run).toMatchObject({ status: 'succeeded', result: { token_refreshed: true } });
    h.sim.setRefreshTokenRotation(false);
  });

  it('a 401 triggers a refresh and one retry', async () => {
    h.advance(6 * MINUTE);
    h.sim.expireAccessTokens();
    const r = await h.sync(h.acme, connectionId);
    expect(r.json().sync_run).toMatchObject({ status: 'succeeded', result: { token_refreshed: true } });
  });

  it('honours Retry-After on 429, retries 5xx, and reschedules when the provider stays down', async () => {
    h.advance(6 * MINUTE);
    h.sim.rateLimit({ path: /\/trader\/v1\/accounts$/, retryAfter: '1' });
    h.sim.failWith({ path: /transactions$/, status: 503 });
    const ok = await h.sync(h.acme, connectionId);
    expect(ok.json().sync_run.status).toBe('succeeded');
    h.advance(6 * MINUTE);
    h.sim.rateLimit({ path: /\/trader\/v1\/accounts$/, retryAfter: '120' });
    const limited = await h.sync(h.acme, connectionId);
    expect(limited.statusCode).toBe(503);
    expect(limited.headers['retry-after']).toBe('120');
    expect(limited.json()).toMatchObject({ code: 'provider_rate_limited', retry_after_seconds: 120 });
    const conn = await get<{ status: string; next_sync_at: string }>(
      h.t,
      h.acme,
      `/v1/connections/${connectionId}`,
    );
    expect(conn.status).toBe('active');
    expect(Date.parse(conn.next_sync_at)).toBe(h.now() + 120_000);
    const runs = await get<{ data: { status: string; error: { code: string } | null }[] }>(
      h.t,
      h.acme,
      `/v1/connections/${connectionId}/sync-runs`,
    );
    expect(runs.data[0]).toMatchObject({ status: 'failed', error: { code: 'provider_rate_limited' } });
    h.advance(6 * MINUTE);
    h.sim.failWith({ status: 502, times: 10 });
    expect((await h.sync(h.acme, connectionId)).json().code).toBe('provider_unavailable');
    h.sim.clearFaults();
  });

  it('a posted transaction replaces the pending one it settles, never beside it', async () => {
    h.advance(6 * MINUTE);
    const margin = h.sim.accounts[0]!;
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
    await h.sync(h.acme, connectionId);
    const [account] = (await accountsOf(h.t, h.acme)).filter(
      (a) => a.provider_account_id === h.sim.hashOf(margin.accountNumber),
    );
    const pending = (await transactionsOf(h.t, h.acme, account!.id)).filter((x) => x.status === 'pending');
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
    h.advance(6 * MINUTE);
    const r = await h.sync(h.acme, connectionId);
    expect(r.json().sync_run.result).toMatchObject({ pending_settled: 1, transactions_imported: 1 });
    const rent = (await transactionsOf(h.t, h.acme, account!.id)).filter(
      (x) => x.description === 'ACH OUT RENT',
    );
    expect(rent).toEqual([
      expect.objectContaining({
        status: 'settled',
        provider_transaction_id: '99000000002',
        pending_transaction_id: '99000000001',
      }),
    ]);
  });

  it('an access token still refused after a refresh expires the connection', async () => {
    const other = await h.lenderWithSchwab('Refused');
    const { id, query } = await h.consent(other);
    await h.callback(query);
    h.sim.failWith({ path: /\/trader\/v1\//, status: 401, times: 2 });
    const before = h.sim.requests.length;
    const r = await h.sync(other, id);
    expect(r.json()).toMatchObject({ code: 'reauthorization_required', connection_status: 'expired' });
    const paths = h.sim.requests.slice(before).map((q) => q.path);
    expect(paths).toEqual([
      '/trader/v1/accounts/accountNumbers',
      '/v1/oauth/token',
      '/trader/v1/accounts/accountNumbers',
    ]);
  });

  it('past the 7-day refresh limit the connection expires and asks for re-authorization', async () => {
    h.advance(8 * 24 * 60 * MINUTE);
    const r = await h.sync(h.acme, connectionId);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'reauthorization_required', connection_status: 'expired' });
    const conn = await get<{ status: string; status_reason: string }>(
      h.t,
      h.acme,
      `/v1/connections/${connectionId}`,
    );
    expect(conn).toMatchObject({
      status: 'expired',
      status_reason: expect.stringContaining('authorize again'),
    });
    expect((await h.sync(h.acme, connectionId)).json().code).toBe('connection_not_active');
    const { query } = await h.consent(h.acme, connectionId);
    expect((await h.callback(query)).json().connection.status).toBe('active');
    h.advance(6 * MINUTE);
    expect((await h.sync(h.acme, connectionId)).json().sync_run.status).toBe('succeeded');
  });

  it('no token or secret reaches the logs, refreshes and rotations included', () => {
    const logs = h.t.logs.join('');
    expect(logs).toContain('access token refreshed');
    expect(logs).not.toContain(DEFAULT_SCHWAB_CLIENT.clientSecret);
    expect(logs).not.toMatch(/[IR]0\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}@/);
  });
});
