import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type SchwabSimulator,
  startSchwabSimulator,
} from '../../../../../sandbox/simulators/schwab/index.js';
import { ProviderError } from '../../../../kernel/errors.js';
import { createSchwabClient } from './client.js';
import {
  createSchwabOAuthClient,
  SCHWAB_REFRESH_TOKEN_LIFETIME_MS,
  type SchwabOAuthClient,
  type SchwabTokens,
  schwabAuthorizationUrl,
  tokenAction,
} from './oauth.js';

const MINUTE = 60_000;
let sim: SchwabSimulator;
let oauth: SchwabOAuthClient;

function oauthClient(secret = sim.client.clientSecret) {
  return createSchwabOAuthClient({
    clientId: sim.client.clientId,
    clientSecret: secret,
    redirectUri: sim.client.redirectUris[0]!,
    baseUrl: sim.url,
    now: () => new Date(sim.clock.now()),
    http: { sleep: async () => {} },
  });
}

beforeEach(async () => {
  sim = await startSchwabSimulator({ startTime: Date.parse('2025-10-01T12:00:00Z') });
  oauth = oauthClient();
});
afterEach(async () => {
  await oauth.close();
  await sim.close();
});

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

/** Plays the user's browser: follows the authorization URL and reads the code off the callback. */
async function consent(state: string): Promise<string> {
  const res = await fetch(oauth.authorizationUrl(state), { redirect: 'manual' });
  const callback = new URL(res.headers.get('location')!);
  expect(callback.searchParams.get('state')).toBe(state);
  return callback.searchParams.get('code')!;
}

describe('Schwab OAuth', () => {
  it('builds the authorization URL', () => {
    const url = new URL(
      schwabAuthorizationUrl({ clientId: 'app-key', redirectUri: 'https://plinth.example/cb', state: 's1' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://api.schwabapi.com/v1/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app-key',
      redirect_uri: 'https://plinth.example/cb',
      response_type: 'code',
      state: 's1',
    });
  });

  it('exchanges a code for tokens with absolute expiry instants, authenticating with HTTP Basic', async () => {
    const code = await consent('st-1');
    const tokens = await oauth.exchangeCode(code);
    const now = sim.clock.now();
    expect(tokens.accessTokenExpiresAt.getTime()).toBe(now + 30 * MINUTE);
    expect(tokens.refreshTokenExpiresAt.getTime()).toBe(now + SCHWAB_REFRESH_TOKEN_LIFETIME_MS);
    expect(tokens).toMatchObject({ tokenType: 'Bearer', scope: 'api', refreshTokenRotated: false });
    const tokenCall = sim.requests.find((r) => r.path === '/v1/oauth/token')!;
    expect(tokenCall.headers.authorization).toBe(
      `Basic ${Buffer.from(`${sim.client.clientId}:${sim.client.clientSecret}`).toString('base64')}`,
    );
    expect(new URLSearchParams(tokenCall.body).get('code')).toBe(code);

    const data = createSchwabClient({ baseUrl: sim.url, accessToken: () => tokens.accessToken });
    expect(await data.accountNumbers()).toHaveLength(2);
    await data.close();
  });

  it('refuses a code used twice as an authentication failure', async () => {
    const code = await consent('st-2');
    await oauth.exchangeCode(code);
    const e = await failure(oauth.exchangeCode(code));
    expect(e).toMatchObject({
      kind: 'authentication',
      details: { status: 400, vendorCode: 'invalid_grant' },
    });
  });

  it('reports a wrong app secret as configuration, and never retries a token request', async () => {
    const wrong = oauthClient('not-the-secret');
    const e = await failure(wrong.exchangeCode(sim.mintAuthorizationCode()));
    expect(e).toMatchObject({
      kind: 'configuration',
      details: { status: 401, vendorCode: 'invalid_client' },
    });
    expect(e.message).not.toContain('not-the-secret');
    await wrong.close();
    sim.failWith({ path: '/v1/oauth/token', status: 503, times: 3 });
    const before = sim.requests.length;
    expect((await failure(oauth.exchangeCode(sim.mintAuthorizationCode()))).kind).toBe('unavailable');
    expect(sim.requests.length - before).toBe(1);
  });

  it('refreshes without rotation: same refresh token, new access token, same 7-day limit', async () => {
    const first = await oauth.exchangeCode(sim.mintAuthorizationCode());
    sim.clock.advance(29 * MINUTE);
    const next = await oauth.refresh(first);
    expect(next.refreshTokenRotated).toBe(false);
    expect(next.refreshToken).toBe(first.refreshToken);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.accessTokenExpiresAt.getTime()).toBe(sim.clock.now() + 30 * MINUTE);
    expect(next.refreshTokenExpiresAt).toEqual(first.refreshTokenExpiresAt);
  });

  it('detects rotation, and the old refresh token is then void', async () => {
    sim.setRefreshTokenRotation(true);
    const first = await oauth.exchangeCode(sim.mintAuthorizationCode());
    const next = await oauth.refresh(first);
    expect(next.refreshTokenRotated).toBe(true);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    const stale = await failure(oauth.refresh(first));
    expect(stale).toMatchObject({
      kind: 'authentication',
      details: { vendorCode: 'unsupported_token_type' },
    });
    const again = await oauth.refresh(next);
    expect(again.refreshTokenRotated).toBe(true);
  });

  it('stops at the 7-day limit: no call is made, the user must authorize again', async () => {
    let tokens: SchwabTokens = await oauth.exchangeCode(sim.mintAuthorizationCode());
    for (let day = 1; day <= 6; day++) {
      sim.clock.advance(24 * 60 * MINUTE);
      tokens = await oauth.refresh(tokens);
    }
    sim.clock.advance(24 * 60 * MINUTE);
    expect(tokenAction(tokens, new Date(sim.clock.now()))).toBe('reauthorize');
    const before = sim.requests.length;
    expect((await failure(oauth.refresh(tokens))).kind).toBe('authentication');
    expect(sim.requests.length).toBe(before);
    // Had Plinth believed the token still alive, Schwab would have said otherwise.
    const e = await failure(
      oauth.refresh({ ...tokens, refreshTokenExpiresAt: new Date(sim.clock.now() + MINUTE) }),
    );
    expect(e).toMatchObject({ kind: 'authentication', details: { vendorCode: 'unsupported_token_type' } });
  });
});

describe('tokenAction', () => {
  const issued = Date.parse('2025-10-01T12:00:00Z');
  const tokens = {
    accessTokenExpiresAt: new Date(issued + 30 * MINUTE),
    refreshTokenExpiresAt: new Date(issued + SCHWAB_REFRESH_TOKEN_LIFETIME_MS),
  };
  const at = (ms: number) => new Date(issued + ms);

  it('uses a fresh access token, refreshes one about to expire, and reauthorizes after 7 days', () => {
    expect(tokenAction(tokens, at(0))).toBe('use');
    expect(tokenAction(tokens, at(24 * MINUTE))).toBe('use');
    expect(tokenAction(tokens, at(26 * MINUTE))).toBe('refresh');
    expect(tokenAction(tokens, at(3 * 24 * 60 * MINUTE))).toBe('refresh');
    expect(tokenAction(tokens, at(SCHWAB_REFRESH_TOKEN_LIFETIME_MS - 1))).toBe('refresh');
    expect(tokenAction(tokens, at(SCHWAB_REFRESH_TOKEN_LIFETIME_MS))).toBe('reauthorize');
    expect(tokenAction(tokens, at(20 * MINUTE), 15 * MINUTE)).toBe('refresh');
  });
});
