import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchwabSimulator, SEED_MARGIN_ACCOUNT, startSchwabSimulator } from './index.js';

// Wire-level checks of what the simulator refuses, the way Schwab does. The happy paths are exercised through
// Plinth's Schwab client in src/modules/aggregation/providers/schwab.

let sim: SchwabSimulator;
let bearer: string;

beforeAll(async () => {
  sim = await startSchwabSimulator({ startTime: Date.parse('2025-10-01T12:00:00Z') });
  bearer = `Bearer ${sim.issueTokens().accessToken}`;
});
afterAll(() => sim.close());

const get = (path: string, auth = bearer) => fetch(`${sim.url}${path}`, { headers: { authorization: auth } });

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const token = (form: Record<string, string>, auth = basic(sim.client.clientId, sim.client.clientSecret)) =>
  fetch(`${sim.url}/v1/oauth/token`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describe('Schwab simulator: Trader API', () => {
  it('refuses a plain account number where the hash belongs', async () => {
    const res = await get(`/trader/v1/accounts/${SEED_MARGIN_ACCOUNT}?fields=positions`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Invalid account number' });
    const ok = await get(`/trader/v1/accounts/${sim.hashOf(SEED_MARGIN_ACCOUNT)}?fields=positions`);
    expect(ok.status).toBe(200);
  });

  it('requires types and a range of at most 60 days', async () => {
    const base = `/trader/v1/accounts/${sim.hashOf(SEED_MARGIN_ACCOUNT)}/transactions`;
    const noTypes = await get(`${base}?startDate=2025-01-01T00:00:00.000Z&endDate=2025-01-31T00:00:00.000Z`);
    expect(noTypes.status).toBe(400);
    expect(await noTypes.json()).toEqual({ message: 'Bad Request', errors: ['types is required'] });
    const tooLong = await get(
      `${base}?startDate=2025-01-01T00:00:00.000Z&endDate=2025-03-03T00:00:00.000Z&types=TRADE`,
    );
    expect(tooLong.status).toBe(400);
    const badType = await get(
      `${base}?startDate=2025-01-01T00:00:00.000Z&endDate=2025-01-31T00:00:00.000Z&types=BUY`,
    );
    expect(badType.status).toBe(400);
    const ok = await get(
      `${base}?startDate=2025-01-01T00:00:00.000Z&endDate=2025-03-02T00:00:00.000Z&types=TRADE,ACH_RECEIPT`,
    );
    expect(ok.status).toBe(200);
    const txns = (await ok.json()) as { type: string; time: string }[];
    expect(txns.map((t) => t.type).sort()).toEqual(['ACH_RECEIPT', 'ACH_RECEIPT', 'TRADE', 'TRADE', 'TRADE']);
    expect(txns[0]!.time > txns[1]!.time).toBe(true);
  });

  it('answers a missing or expired token with Schwab’s 401 body', async () => {
    const res = await get('/trader/v1/accounts/accountNumbers', 'Bearer nope');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      errors: [{ status: 401, title: 'Unauthorized', detail: 'Client not authorized' }],
    });
  });
});

describe('Schwab simulator: OAuth', () => {
  it('redirects the consenting user back with a code, the session and the state', async () => {
    const redirectUri = sim.client.redirectUris[0]!;
    const res = await fetch(
      `${sim.url}/v1/oauth/authorize?client_id=${sim.client.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&state=xyz`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('code')).toMatch(/^C0\..+@$/);
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('session')).toBeTruthy();
  });

  it('refuses an unregistered redirect URI and an unknown client', async () => {
    const res = await fetch(
      `${sim.url}/v1/oauth/authorize?client_id=${sim.client.clientId}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    const unknown = await fetch(`${sim.url}/v1/oauth/authorize?client_id=who&redirect_uri=x`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
  });

  it('authenticates the app with HTTP Basic', async () => {
    const res = await token(
      { grant_type: 'refresh_token', refresh_token: 'x' },
      basic(sim.client.clientId, 'wrong'),
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
  });

  it('grants a code once, and only for the redirect URI it was issued for', async () => {
    const redirectUri = sim.client.redirectUris[0]!;
    const code = sim.mintAuthorizationCode();
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: sim.client.redirectUris[1]!,
    });
    expect(wrong.status).toBe(400);
    const code2 = sim.mintAuthorizationCode();
    const first = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ expires_in: 1800, token_type: 'Bearer', scope: 'api' });
    const again = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: redirectUri });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a code expire after 30 seconds', async () => {
    const code = sim.mintAuthorizationCode();
    sim.clock.advance(31_000);
    const res = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: sim.client.redirectUris[0]!,
    });
    expect(res.status).toBe(400);
  });
});
