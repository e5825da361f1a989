import { z } from 'zod';
import type { HttpTuning } from '../../../../kernel/http-client.js';
import type {
  ApiKeyFinancialProvider,
  FinancialDataSession,
  FinancialProviderDefinition,
} from '../../domain/provider.js';
import { attempt } from '../attempt.js';
import { ALPACA_LIVE_BASE_URL, ALPACA_PAPER_BASE_URL, createAlpacaClient } from './client.js';
import { mapAlpacaAccount, mapAlpacaActivities, mapAlpacaPositions } from './mappers.js';

/**
 * Alpaca (Trading API) behind API keys. The tenant's provider config says paper or live (and may point elsewhere,
 * at a simulator or a proxy); the key pair is the customer's and is sealed on the connection. One key sees
 * exactly one account.
 */
export const alpacaConfigSchema = z.strictObject({
  environment: z.enum(['paper', 'live']).default('paper'),
  /** Overrides the environment's host. */
  base_url: z.url().optional(),
});
export type AlpacaConfig = z.infer<typeof alpacaConfigSchema>;

export const alpacaCredentialsSchema = z.strictObject({
  key_id: z.string().trim().min(1).max(128),
  secret_key: z.string().trim().min(1).max(256),
});
export type AlpacaCredentials = z.infer<typeof alpacaCredentialsSchema>;

export function createAlpacaProvider(
  config: AlpacaConfig,
  http?: HttpTuning,
): ApiKeyFinancialProvider<AlpacaCredentials> {
  const baseUrl =
    config.base_url ?? (config.environment === 'live' ? ALPACA_LIVE_BASE_URL : ALPACA_PAPER_BASE_URL);
  const client = (c: AlpacaCredentials) =>
    createAlpacaClient({ baseUrl, keyId: c.key_id, secretKey: c.secret_key, http });
  return {
    authType: 'api_key',
    credentialsSchema: alpacaCredentialsSchema,
    async validateCredentials(credentials) {
      const c = client(credentials);
      try {
        const checked = await attempt(() => c.validateCredentials());
        if (!checked.ok) return checked;
        return checked.value.ok
          ? { ok: true, value: { providerAccountId: checked.value.value.accountId } }
          : checked.value;
      } finally {
        await c.close();
      }
    },
    session(credentials): FinancialDataSession {
      const c = client(credentials);
      return {
        fetchAccounts: () => attempt(async () => mapAlpacaAccount(await c.getAccount())),
        // One key, one account: the account id needs no passing.
        fetchTransactions: (_account, start, end) =>
          attempt(async () => mapAlpacaActivities(await c.fetchActivities(start, end))),
        fetchHoldings: () => attempt(async () => mapAlpacaPositions(await c.getPositions())),
        close: () => c.close(),
      };
    },
  };
}

export const alpacaProvider: FinancialProviderDefinition<AlpacaConfig> = {
  serviceType: 'financial_data',
  key: 'alpaca',
  displayName: 'Alpaca',
  metadata: {
    documentation: 'https://docs.alpaca.markets/reference/getaccount-1',
    requiredSettings: [],
    testedWith: 'sandbox/simulators/alpaca',
    category: 'brokerage',
    authType: 'api_key',
    capabilities: ['accounts', 'transactions', 'holdings'],
  },
  configSchema: alpacaConfigSchema,
  secretFields: [],
  endpoints: { base_url: [new URL(ALPACA_PAPER_BASE_URL).hostname, new URL(ALPACA_LIVE_BASE_URL).hostname] },
  create: (config, deps) => createAlpacaProvider(config, deps.http),
};
