import { ConfigurationError } from '../kernel/errors.js';
import { CredentialError, type KeyRing, PROVIDER_CONFIG_INFO } from './credentials.js';
import type { ProviderConfigRow } from './store.js';

type Json = Record<string, unknown>;

/**
 * A provider config at rest is a Fernet token whose plaintext names the row it belongs to (tenant, config id,
 * service type, provider key), so a token copied onto another row does not open.
 */
export const configIdentity = (
  row: Pick<ProviderConfigRow, 'tenantId' | 'id' | 'serviceType' | 'providerKey'>,
) => ({
  tenant_id: row.tenantId,
  config_id: row.id,
  service_type: row.serviceType,
  provider_key: row.providerKey,
});

/** Decrypts a stored config. A wrong key or a copied token is a configuration error that names no secret. */
export function openConfig(keyRing: KeyRing, row: ProviderConfigRow): Json {
  try {
    return keyRing.open<Json>(row.tenantId, PROVIDER_CONFIG_INFO, configIdentity(row), row.config).value;
  } catch (e) {
    if (e instanceof CredentialError) {
      throw new ConfigurationError(
        `provider config ${row.id}: ${e.message}`,
        'provider_config_undecryptable',
      );
    }
    throw e;
  }
}

export function sealConfig(
  keyRing: KeyRing,
  row: Pick<ProviderConfigRow, 'tenantId' | 'id' | 'serviceType' | 'providerKey'>,
  config: Json,
): string {
  return keyRing.seal(row.tenantId, PROVIDER_CONFIG_INFO, configIdentity(row), config);
}
