import { ProviderError } from '../../../kernel/errors.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, ok, type Result } from '../../../kernel/result.js';
import type { SkippedRecord } from '../domain/mapping.js';
import type {
  ApiKeyFinancialProvider,
  Capability,
  FinancialDataSession,
  OAuthFinancialProvider,
  OAuthGrant,
} from '../domain/provider.js';
import type { SyncScope, SyncWindow } from '../domain/sync-policy.js';
import type { StatementInput } from '../ingest/service.js';

/**
 * The provider half of a sync: credentials → a session (refreshing an OAuth token first when it is about to
 * expire) → accounts, transactions and holdings. Nothing here touches the database except through `persist`,
 * which stores refreshed tokens at once: after a rotation the old refresh token is void.
 */

export interface Access {
  session: FinancialDataSession;
  /** OAuth: refresh now (after a 401), once. */
  reauthorize: (() => Promise<Result<void, ProviderError>>) | null;
  notes: { refreshed: boolean; rotated: boolean };
}

export async function oauthAccess(
  provider: OAuthFinancialProvider,
  grant: OAuthGrant,
  now: Date,
  persist: (grant: OAuthGrant) => Promise<void>,
): Promise<Result<Access, ProviderError>> {
  let current = grant;
  const notes = { refreshed: false, rotated: false };
  const refresh = async (): Promise<Result<void, ProviderError>> => {
    const r = await provider.refresh(current);
    if (!r.ok) return r;
    current = r.value.grant;
    notes.refreshed = true;
    notes.rotated ||= r.value.rotated;
    await persist(current);
    return ok(undefined);
  };
  const action = provider.tokenAction(current, now);
  if (action === 'reauthorize')
    return err(new ProviderError('authentication', 'the authorization is past its limit: authorize again'));
  if (action === 'refresh') {
    const r = await refresh();
    if (!r.ok) return r;
  }
  let reauthorized = false;
  return ok({
    session: provider.session(() => current.accessToken),
    reauthorize: async () => {
      if (reauthorized)
        return err(new ProviderError('authentication', 'still refused after a token refresh'));
      reauthorized = true;
      return refresh();
    },
    notes,
  });
}

export function apiKeyAccess(provider: ApiKeyFinancialProvider, credentials: unknown): Access {
  return {
    session: provider.session(provider.credentialsSchema.parse(credentials)),
    reauthorize: null,
    notes: { refreshed: false, rotated: false },
  };
}

export interface FetchPlan {
  scope: SyncScope;
  window: SyncWindow;
  capabilities: readonly Capability[];
}

export interface FetchedData {
  statements: StatementInput[];
  skipped: SkippedRecord[];
}

async function fetchOnce(
  session: FinancialDataSession,
  plan: FetchPlan,
): Promise<Result<FetchedData, ProviderError>> {
  const skipped: SkippedRecord[] = [];
  const accounts = await session.fetchAccounts();
  if (!accounts.ok) return accounts;
  skipped.push(...accounts.value.skipped);
  const wantTransactions = plan.scope !== 'holdings' && plan.capabilities.includes('transactions');
  const wantHoldings = plan.scope !== 'accounts' && plan.capabilities.includes('holdings');
  const statements: StatementInput[] = [];
  for (const account of accounts.value.items) {
    let transactions: StatementInput['transactions'] = null;
    let holdings: StatementInput['holdings'] = null;
    if (wantTransactions) {
      const r = await session.fetchTransactions(
        account.providerAccountId,
        plan.window.start,
        plan.window.end,
      );
      if (!r.ok) return r;
      transactions = r.value.items;
      skipped.push(...r.value.skipped);
    }
    if (wantHoldings) {
      const r = await session.fetchHoldings(account.providerAccountId);
      if (!r.ok) return r;
      holdings = r.value.items;
      skipped.push(...r.value.skipped);
    }
    statements.push({ account, transactions, holdings, coverage: transactions ? plan.window : null });
  }
  return ok({ statements, skipped });
}

/** Fetches everything the plan asks for; on a 401, refreshes the token and tries once more. */
export async function fetchStatements(
  access: Access,
  plan: FetchPlan,
  log: { logger: Logger; connectionId: string },
): Promise<Result<FetchedData, ProviderError>> {
  let result = await fetchOnce(access.session, plan);
  if (!result.ok && result.error.kind === 'authentication' && access.reauthorize) {
    const refreshed = await access.reauthorize();
    result = refreshed.ok ? await fetchOnce(access.session, plan) : refreshed;
  }
  if (result.ok && result.value.skipped.length > 0)
    log.logger.warn(
      { connectionId: log.connectionId, skipped: result.value.skipped.slice(0, 20) },
      'provider records skipped: they could not be mapped',
    );
  return result;
}
