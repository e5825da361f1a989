import type { Db } from '../../../kernel/db.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { Catalog, ProviderResolver, ResolvedProvider } from '../../../providers/index.js';
import type { FinancialProviderDefinition } from '../domain/provider.js';

/**
 * Which of the tenant's provider configs serves a financial-data provider. A tenant can configure several
 * financial-data providers at once (Schwab and Alpaca and file imports), so the per-service-type default of the
 * resolution chain does not decide: the request names the provider, and optionally the config. Without a config
 * id, the tenant's default financial-data config is used when it is for that provider, else the only active one.
 */

export interface ProviderDeps {
  db: Db;
  catalog: Catalog;
  resolver: ProviderResolver;
}

export interface FinancialProviderHandle {
  definition: FinancialProviderDefinition;
  resolved: ResolvedProvider<'financial_data'>;
}

export function financialDefinition(catalog: Catalog, key: string): Result<FinancialProviderDefinition> {
  const def = catalog.get('financial_data', key);
  if (def) return ok(def);
  const supported = catalog.registry('financial_data')?.keys() ?? [];
  return err(
    failure('unprocessable', 'unknown_provider', `unknown financial-data provider "${key}"`, {
      fields: [{ path: 'provider', message: `must be one of: ${supported.join(', ')}` }],
      extra: { supported_providers: supported },
    }),
  );
}

export async function providerForNewConnection(
  deps: ProviderDeps,
  tenantId: string,
  providerKey: string,
  providerConfigId?: string,
): Promise<Result<FinancialProviderHandle>> {
  const def = financialDefinition(deps.catalog, providerKey);
  if (!def.ok) return def;
  const choice = await deps.resolver.ofProvider(tenantId, 'financial_data', providerKey, providerConfigId);
  switch (choice.kind) {
    case 'resolved':
      return ok({ definition: def.value, resolved: choice.resolved });
    case 'unknown_config':
      return err(
        failure(
          'unprocessable',
          'unknown_provider_config',
          `no active ${providerKey} provider config has that id`,
          {
            fields: [{ path: 'provider_config_id', message: `no active ${providerKey} config` }],
          },
        ),
      );
    case 'none':
      return err(
        failure(
          'unprocessable',
          'provider_not_configured',
          `${providerKey} is not configured for this tenant: POST /v1/provider-configs first`,
          { fields: [{ path: 'provider', message: 'no active provider config' }] },
        ),
      );
    case 'ambiguous':
      return err(
        failure(
          'unprocessable',
          'provider_config_ambiguous',
          `${choice.count} active ${providerKey} configs: name one in provider_config_id`,
          { fields: [{ path: 'provider_config_id', message: 'required when several configs exist' }] },
        ),
      );
  }
}

/** The config a connection was made with (deleted configs no longer resolve). */
export async function providerById(
  deps: ProviderDeps,
  tenantId: string,
  providerConfigId: string,
  definition?: FinancialProviderDefinition,
): Promise<Result<FinancialProviderHandle>> {
  const resolved = await deps.resolver.byId('financial_data', providerConfigId, tenantId);
  if (!resolved)
    return err(
      failure(
        'conflict',
        'provider_config_missing',
        'the provider config of this connection no longer exists',
      ),
    );
  return ok({
    definition: definition ?? resolved.definition,
    resolved,
  });
}
