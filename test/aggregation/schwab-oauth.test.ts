import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCHWAB_CLIENT } from '../../sandbox/simulators/schwab/index.js';
import { connections } from '../../src/modules/aggregation/tables.js';
import { get, lender } from './helpers.js';
import { MINUTE, OTHER_APP, type SchwabHarness, schwabHarness } from './schwab-harness.js';

let h: SchwabHarness;
let connectionId: string;

beforeAll(async () => {
  h = await schwabHarness();
});
afterAll(() => h.close());

describe('Schwab: OAuth authorization code', () => {
  it('the authorization URL carries a state; the callback exchanges the code with HTTP Basic', async () => {
    const { id, query } = await h.consent(h.acme);
    expect(query.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = h.sim.requests.length;
    const r = await h.callback(query);
    expect(r.statusCode).toBe(200);
    expect(r.json().connection).toMatchObject({ id, status: 'active', provider: 'schwab' });
    const token = h.sim.requests.slice(before).find((q) => q.path === '/v1/oauth/token')!;
    expect(token.headers.authorization).toBe(
      `Basic ${Buffer.from(`${DEFAULT_SCHWAB_CLIENT.clientId}:${DEFAULT_SCHWAB_CLIENT.clientSecret}`).toString('base64')}`,
    );
    expect(JSON.stringify(r.json())).not.toMatch(/access_token|refresh_token|credentials/);
    connectionId = id;
    // The state is single-use.
    const again = await h.callback(query);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      code: 'invalid_oauth_state',
      detail: expect.stringContaining('already used'),
    });
  });

  it('refuses a missing, unknown, expired or foreign state, and stores no tokens', async () => {
    expect((await h.callback('code=abc')).json().code).toBe('invalid_oauth_state');
    expect((await h.callback('code=abc&state=never-issued')).statusCode).toBe(400);
    const { id, query } = await h.consent(h.acme);
    h.advance(11 * MINUTE);
    const late = await h.callback(query);
    expect(late.json()).toMatchObject({ status: 400, detail: expect.stringContaining('expired') });
    const conn = await get<{ status: string }>(h.t, h.acme, `/v1/connections/${id}`);
    expect(conn.status).toBe('pending');
    // A code from another tenant's Schwab app, brought back with this tenant's state: Schwab refuses it.
    const other = await h.lenderWithSchwab('Other', OTHER_APP.clientId, OTHER_APP.clientSecret);
    const mine = await h.consent(h.acme);
    const theirs = await h.consent(other);
    const mixed = new URLSearchParams({ code: theirs.query.get('code')!, state: mine.query.get('state')! });
    const r = await h.callback(mixed);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'authorization_code_rejected', connection_id: mine.id });
    expect((await get<{ status: string }>(h.t, h.acme, `/v1/connections/${mine.id}`)).status).toBe('failed');
    // Their state, at their connection: still theirs alone.
    expect((await h.t.call('GET', `/v1/connections/${theirs.id}`, { key: h.acme.key })).statusCode).toBe(404);
  });

  it('a refused consent fails the connection', async () => {
    h.sim.setConsent('deny');
    const { id, query } = await h.consent(h.acme);
    h.sim.setConsent('approve');
    expect(query.get('error')).toBe('access_denied');
    const r = await h.callback(query);
    expect(r.json()).toMatchObject({ status: 400, code: 'authorization_denied', connection_id: id });
  });
});

describe('Schwab: connections', () => {
  it("another tenant's connection is not found; a disconnect erases the credentials", async () => {
    const other = await lender(h.t, 'Stranger');
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/sync'],
      ['GET', '/sync-runs'],
      ['POST', '/reauthorize'],
      ['DELETE', ''],
    ] as const)
      expect(
        (
          await h.t.call(method, `/v1/connections/${connectionId}${path}`, {
            key: other.key,
            body: method === 'POST' ? {} : undefined,
          })
        ).statusCode,
      ).toBe(404);
    const r = await h.t.call('DELETE', `/v1/connections/${connectionId}`, { key: h.acme.key });
    expect(r.json().status).toBe('disconnected');
    const [row] = await h.t.ctx.database.db
      .select()
      .from(connections)
      .where(eq(connections.id, connectionId));
    expect(row!.credentials).toBeNull();
    expect(
      (await h.t.call('DELETE', `/v1/connections/${connectionId}`, { key: h.acme.key })).json().code,
    ).toBe('invalid_status_transition');
  });

  it('no token or secret reaches the logs', () => {
    const logs = h.t.logs.join('');
    expect(h.t.logs.length).toBeGreaterThan(20);
    expect(logs).not.toContain(DEFAULT_SCHWAB_CLIENT.clientSecret);
    expect(logs).not.toMatch(/[IR]0\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}@/);
    expect(logs).not.toContain(h.acme.key);
  });
});
