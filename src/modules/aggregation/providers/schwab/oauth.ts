import { z } from 'zod';
import { ProviderError } from '../../../../kernel/errors.js';
import { createHttpClient, type HttpTuning } from '../../../../kernel/http-client.js';
import { classifySchwabError, SCHWAB_PROVIDER, schwabErrorCode } from './errors.js';

/**
 * Schwab's OAuth 2.0 authorization-code flow. The app authenticates to the token endpoint with HTTP Basic
 * (base64 of `app key:app secret`). Access tokens live 30 minutes (`expires_in: 1800`); refresh tokens live 7 days
 * from the user's consent, and refreshing does not extend that: after it the user must authorize again.
 *
 * Schwab returns the same refresh token on refresh. Should it ever rotate (return a different one), the result
 * says so, and the caller must store the new token at once: the old one is then void.
 */

export const SCHWAB_API_BASE_URL = 'https://api.schwabapi.com';
export const SCHWAB_REFRESH_TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface SchwabTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  scope: string | null;
  accessTokenExpiresAt: Date;
  /** Seven days after the consent that started this grant. */
  refreshTokenExpiresAt: Date;
  /** The token endpoint handed back a refresh token other than the one sent. */
  refreshTokenRotated: boolean;
}

export interface SchwabOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Scheme and host of Schwab's API (default `https://api.schwabapi.com`); a simulator's URL in tests. */
  baseUrl?: string;
  now?: () => Date;
  http?: HttpTuning;
}

export interface SchwabOAuthClient {
  authorizationUrl(state: string): string;
  /** `code` as the callback received it, URL-decoded (Schwab's codes end in `@`). */
  exchangeCode(code: string): Promise<SchwabTokens>;
  refresh(current: { refreshToken: string; refreshTokenExpiresAt: Date }): Promise<SchwabTokens>;
  close(): Promise<void>;
}

export function schwabAuthorizationUrl(opts: {
  clientId: string;
  redirectUri: string;
  state: string;
  baseUrl?: string;
}): string {
  const url = new URL('/v1/oauth/authorize', opts.baseUrl ?? SCHWAB_API_BASE_URL);
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', opts.state);
  return url.toString();
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().min(1),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});

export function createSchwabOAuthClient(opts: SchwabOAuthOptions): SchwabOAuthClient {
  const now = opts.now ?? (() => new Date());
  const http = createHttpClient({
    baseUrl: opts.baseUrl ?? SCHWAB_API_BASE_URL,
    provider: SCHWAB_PROVIDER,
    errorCode: schwabErrorCode,
    classify: classifySchwabError,
    ...opts.http,
  });
  const basic = `Basic ${Buffer.from(`${opts.clientId}:${opts.clientSecret}`).toString('base64')}`;

  // Token requests are never retried: a code is single-use, and a repeated refresh could spend a rotated token.
  async function token(form: Record<string, string>) {
    const issuedAt = now().getTime();
    const res = await http.request({
      method: 'POST',
      path: '/v1/oauth/token',
      headers: { authorization: basic },
      body: { form },
    });
    return { issuedAt, body: res.json(tokenResponse) };
  }

  return {
    authorizationUrl: (state) =>
      schwabAuthorizationUrl({
        clientId: opts.clientId,
        redirectUri: opts.redirectUri,
        state,
        baseUrl: opts.baseUrl,
      }),

    async exchangeCode(code) {
      const { issuedAt, body } = await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: opts.redirectUri,
      });
      if (!body.refresh_token)
        throw new ProviderError('invalid_response', 'schwab token endpoint granted no refresh token', {
          provider: SCHWAB_PROVIDER,
        });
      return {
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        tokenType: body.token_type,
        scope: body.scope ?? null,
        accessTokenExpiresAt: new Date(issuedAt + body.expires_in * 1000),
        refreshTokenExpiresAt: new Date(issuedAt + SCHWAB_REFRESH_TOKEN_LIFETIME_MS),
        refreshTokenRotated: false,
      };
    },

    async refresh(current) {
      if (now().getTime() >= current.refreshTokenExpiresAt.getTime())
        throw new ProviderError(
          'authentication',
          'schwab refresh token is past its 7-day limit; authorize again',
          {
            provider: SCHWAB_PROVIDER,
          },
        );
      const { issuedAt, body } = await token({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
      });
      const rotated = body.refresh_token !== undefined && body.refresh_token !== current.refreshToken;
      return {
        accessToken: body.access_token,
        refreshToken: rotated ? body.refresh_token! : current.refreshToken,
        tokenType: body.token_type,
        scope: body.scope ?? null,
        accessTokenExpiresAt: new Date(issuedAt + body.expires_in * 1000),
        refreshTokenExpiresAt: current.refreshTokenExpiresAt,
        refreshTokenRotated: rotated,
      };
    },

    close: () => http.close(),
  };
}

export type TokenAction = 'use' | 'refresh' | 'reauthorize';

/**
 * What to do before calling the Trader API: use the access token, refresh it first, or send the user back
 * through authorization. Refreshes `accessMarginMs` before expiry so that a sync started now does not run into
 * the 30-minute limit halfway.
 */
export function tokenAction(
  tokens: { accessTokenExpiresAt: Date; refreshTokenExpiresAt: Date },
  now: Date,
  accessMarginMs = 5 * 60_000,
): TokenAction {
  const t = now.getTime();
  if (t < tokens.accessTokenExpiresAt.getTime() - accessMarginMs) return 'use';
  if (t < tokens.refreshTokenExpiresAt.getTime()) return 'refresh';
  return 'reauthorize';
}
