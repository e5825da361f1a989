import { z } from 'zod';
import type { HttpTuning } from '../../../../kernel/http-client.js';
import type {
  FinancialDataSession,
  FinancialProviderDefinition,
  OAuthFinancialProvider,
  OAuthGrant,
} from '../../domain/provider.js';
import { attempt } from '../attempt.js';
import { createSchwabClient } from './client.js';
import { mapSchwabAccounts, mapSchwabPositions, mapSchwabTransactions } from './mappers.js';
import {
  createSchwabOAuthClient,
  SCHWAB_API_BASE_URL,
  type SchwabTokens,
  schwabAuthorizationUrl,
  tokenAction,
} from './oauth.js';

/**
 * Schwab (Trader API, individual accounts) behind OAuth 2.0 authorization code. The tenant's provider config holds
 * the app's key and secret; each connection holds one customer's grant. Every per-account call goes through the
 * account-number hash from `/accounts/accountNumbers`, which is also the stored provider account id.
 */
export const schwabConfigSchema = z.strictObject({
  /** The app key from developer.schwab.com. */
  client_id: z.string().min(1),
  /** The app secret. */
  client_secret: z.string().min(1),
  /** The callback registered with the app; default `{PLINTH_PUBLIC_URL}/v1/oauth/schwab/callback`. */
  redirect_uri: z.url().optional(),
  base_url: z.url().default(SCHWAB_API_BASE_URL),
});
export type SchwabConfig = z.infer<typeof schwabConfigSchema>;

const grantOf = (t: SchwabTokens): OAuthGrant => ({
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  tokenType: t.tokenType,
  scope: t.scope,
  accessTokenExpiresAt: t.accessTokenExpiresAt.toISOString(),
  refreshTokenExpiresAt: t.refreshTokenExpiresAt.toISOString(),
});

function schwabSession(
  config: SchwabConfig,
  accessToken: () => string,
  http: HttpTuning | undefined,
): FinancialDataSession {
  const client = createSchwabClient({ accessToken, baseUrl: config.base_url, http });
  // `GET /accounts?fields=positions` already carries every position: keep them for fetchHoldings.
  const positions = new Map<string, unknown[]>();
  return {
    fetchAccounts: () =>
      attempt(async () => {
        const payloads = await client.fetchAccounts();
        for (const p of payloads) {
          const listed = (p.account as { securitiesAccount?: { positions?: unknown } } | null)
            ?.securitiesAccount?.positions;
          if (p.hashValue && Array.isArray(listed)) positions.set(p.hashValue, listed);
        }
        return mapSchwabAccounts(payloads);
      }),
    fetchTransactions: (hash, start, end) =>
      attempt(async () => mapSchwabTransactions(await client.fetchTransactions(hash, start, end))),
    fetchHoldings: (hash) =>
      attempt(async () => mapSchwabPositions(positions.get(hash) ?? (await client.fetchPositions(hash)))),
    close: () => client.close(),
  };
}

export function createSchwabProvider(
  config: SchwabConfig,
  now: () => Date,
  http?: HttpTuning,
): OAuthFinancialProvider {
  // Token calls are rare: a client per call, closed after it, so cached provider instances hold no sockets.
  const withOAuth = async <T>(
    redirectUri: string,
    call: (c: ReturnType<typeof createSchwabOAuthClient>) => Promise<T>,
  ) => {
    const c = createSchwabOAuthClient({
      clientId: config.client_id,
      clientSecret: config.client_secret,
      redirectUri,
      baseUrl: config.base_url,
      now,
      http,
    });
    try {
      return await attempt(() => call(c));
    } finally {
      await c.close();
    }
  };
  return {
    authType: 'oauth',
    authorizationUrl: (state, redirectUri) =>
      schwabAuthorizationUrl({ clientId: config.client_id, redirectUri, state, baseUrl: config.base_url }),
    exchangeCode: async (code, redirectUri) => {
      const r = await withOAuth(redirectUri, (c) => c.exchangeCode(code));
      return r.ok ? { ok: true, value: grantOf(r.value) } : r;
    },
    refresh: async (grant) => {
      const r = await withOAuth(config.redirect_uri ?? '', (c) =>
        c.refresh({
          refreshToken: grant.refreshToken,
          refreshTokenExpiresAt: new Date(grant.refreshTokenExpiresAt),
        }),
      );
      return r.ok
        ? { ok: true, value: { grant: grantOf(r.value), rotated: r.value.refreshTokenRotated } }
        : r;
    },
    tokenAction: (grant, at) =>
      tokenAction(
        {
          accessTokenExpiresAt: new Date(grant.accessTokenExpiresAt),
          refreshTokenExpiresAt: new Date(grant.refreshTokenExpiresAt),
        },
        at,
      ),
    session: (accessToken) => schwabSession(config, accessToken, http),
  };
}

export const schwabProvider: FinancialProviderDefinition<SchwabConfig> = {
  serviceType: 'financial_data',
  key: 'schwab',
  displayName: 'Charles Schwab',
  metadata: {
    documentation: 'https://developer.schwab.com/products/trader-api--individual',
    requiredSettings: ['client_id', 'client_secret'],
    testedWith: 'sandbox/simulators/schwab',
    category: 'brokerage',
    authType: 'oauth',
    capabilities: ['accounts', 'transactions', 'holdings'],
  },
  configSchema: schwabConfigSchema,
  secretFields: ['client_secret'],
  endpoints: { base_url: [new URL(SCHWAB_API_BASE_URL).hostname], redirect_uri: 'plinth' },
  create: (config, deps) => createSchwabProvider(config, deps.now, deps.http),
};
