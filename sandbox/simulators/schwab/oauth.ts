import { randomBytes, randomUUID } from 'node:crypto';
import { json, type SimRequest, type SimResponse, type SimRoute } from '../shared/server.js';
import type { SimClock } from './clock.js';

/**
 * Schwab's OAuth 2.0 authorization-code flow as the Trader API documents it: `/v1/oauth/authorize` sends the
 * user back to the registered callback with `code` (which ends in `@`, so clients must URL-encode it) and
 * `session`; `/v1/oauth/token` authenticates the app with HTTP Basic and grants 30-minute access tokens and
 * refresh tokens that die 7 days after the user's consent, however often they are used.
 *
 * Error bodies follow RFC 6749 §5.2. A dead refresh token gets the body Schwab really sends
 * (`unsupported_token_type` wrapping `refresh_token_authentication_error`), as reported by its users.
 */

export interface SchwabSimClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OAuthSettings {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  codeTtlMs: number;
  /** Schwab returns the same refresh token on refresh; rotation is off unless a test turns it on. */
  rotateRefreshTokens: boolean;
  consent: 'approve' | 'deny';
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshGrant {
  clientId: string;
  /** Fixed at consent: rotation hands out new tokens, never a longer life. */
  expiresAt: number;
  revoked: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

const opaque = (prefix: string) =>
  `${prefix}.${Buffer.from('oauth2.cdc.schwab.com').toString('base64url')}.${randomBytes(24).toString('base64url')}@`;

const oauthError = (status: number, error: string, description: string): SimResponse =>
  json(status, { error, error_description: description }, { 'cache-control': 'no-store' });

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

export function createOAuthServer(clients: SchwabSimClient[], clock: SimClock, settings: OAuthSettings) {
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const accessTokens = new Map<string, { clientId: string; expiresAt: number }>();

  const client = (id: string | null | undefined) => clients.find((c) => c.clientId === id);

  function mintCode(clientId: string, redirectUri: string): string {
    const code = opaque('C0');
    codes.set(code, { clientId, redirectUri, expiresAt: clock.now() + settings.codeTtlMs, used: false });
    return code;
  }

  function grantAccess(clientId: string): string {
    const token = opaque('I0');
    accessTokens.set(token, { clientId, expiresAt: clock.now() + settings.accessTokenTtlMs });
    return token;
  }

  function issueTokens(clientId: string): TokenPair {
    const refreshToken = opaque('R0');
    refreshTokens.set(refreshToken, {
      clientId,
      expiresAt: clock.now() + settings.refreshTokenTtlMs,
      revoked: false,
    });
    return { accessToken: grantAccess(clientId), refreshToken };
  }

  const tokenBody = (pair: TokenPair): SimResponse =>
    json(
      200,
      {
        expires_in: Math.round(settings.accessTokenTtlMs / 1000),
        token_type: 'Bearer',
        scope: 'api',
        refresh_token: pair.refreshToken,
        access_token: pair.accessToken,
        id_token: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: randomUUID() })).toString('base64url')}.`,
      },
      { 'cache-control': 'no-store' },
    );

  function authorize(req: SimRequest): SimResponse {
    const c = client(req.query.get('client_id'));
    const redirectUri = req.query.get('redirect_uri') ?? '';
    if (!c) return oauthError(400, 'invalid_request', 'Unknown client_id');
    if (!c.redirectUris.includes(redirectUri))
      return oauthError(400, 'invalid_request', 'redirect_uri mismatch');
    const target = new URL(redirectUri);
    const state = req.query.get('state');
    if (settings.consent === 'deny') target.searchParams.set('error', 'access_denied');
    else {
      target.searchParams.set('code', mintCode(c.clientId, redirectUri));
      target.searchParams.set('session', randomUUID());
    }
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  }

  function token(req: SimRequest): SimResponse {
    const creds = basicCredentials(req.headers.authorization);
    const c = client(creds?.id);
    if (!c || c.clientSecret !== creds?.secret) return oauthError(401, 'invalid_client', 'Unauthorized');
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grantType = form.get('grant_type');

    if (grantType === 'authorization_code') {
      const code = form.get('code');
      const redirectUri = form.get('redirect_uri');
      if (!code || !redirectUri)
        return oauthError(400, 'invalid_request', 'code and redirect_uri are required');
      const grant = codes.get(code);
      if (!grant || grant.used || grant.clientId !== c.clientId || grant.expiresAt <= clock.now())
        return oauthError(
          400,
          'invalid_grant',
          'Bad authorization code: AuthorizationCode not found or expired',
        );
      grant.used = true;
      if (grant.redirectUri !== redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri mismatch');
      return tokenBody(issueTokens(c.clientId));
    }

    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(presented);
      if (!grant || grant.revoked || grant.clientId !== c.clientId || grant.expiresAt <= clock.now())
        return oauthError(
          400,
          'unsupported_token_type',
          '400 Bad Request: "{"error_description":"Exception while authenticating refresh token","error":"refresh_token_authentication_error"}"',
        );
      let refreshToken = presented;
      if (settings.rotateRefreshTokens) {
        grant.revoked = true;
        refreshToken = opaque('R0');
        refreshTokens.set(refreshToken, { clientId: c.clientId, expiresAt: grant.expiresAt, revoked: false });
      }
      return tokenBody({ accessToken: grantAccess(c.clientId), refreshToken });
    }

    return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType ?? '(none)'}`);
  }

  const routes: SimRoute[] = [
    { method: 'GET', path: '/v1/oauth/authorize', handler: authorize },
    { method: 'POST', path: '/v1/oauth/token', handler: token },
  ];

  return {
    routes,
    mintCode,
    issueTokens,
    /** True when the request carries a live access token. */
    authenticated(header: string | undefined): boolean {
      if (!header?.startsWith('Bearer ')) return false;
      const grant = accessTokens.get(header.slice(7));
      return grant !== undefined && grant.expiresAt > clock.now();
    },
    expireAccessTokens() {
      for (const g of accessTokens.values()) g.expiresAt = clock.now();
    },
    revokeRefreshToken(token: string) {
      const g = refreshTokens.get(token);
      if (g) g.revoked = true;
    },
  };
}
