import { open, type SealedColumn, type SealedKind, seal } from './sealed.js';
import * as store from './store.js';

type Json = Record<string, unknown>;
type ConfigIds = Pick<store.ProviderConfigRow, 'tenantId' | 'id' | 'serviceType' | 'providerKey'>;

/**
 * A provider config at rest: sealed whole, its plaintext naming the row it belongs to (tenant, config id, service
 * type, provider key).
 */
export const providerConfigKind: SealedKind<ConfigIds> = {
  name: 'provider config',
  info: 'plinth/provider-config/v1',
  code: 'provider_config_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({
    tenant_id: row.tenantId,
    config_id: row.id,
    service_type: row.serviceType,
    provider_key: row.providerKey,
  }),
  label: (row) => row.id,
};

export const openConfig = (keyRing: Parameters<typeof open>[0], row: store.ProviderConfigRow): Json =>
  open<Json, ConfigIds>(keyRing, providerConfigKind, row, row.config);

export const sealConfig = (keyRing: Parameters<typeof seal>[0], row: ConfigIds, config: Json): string =>
  seal(keyRing, providerConfigKind, row, config);

/** Every provider config, all tenants, deleted ones included. */
export const providerConfigColumn: SealedColumn<store.ProviderConfigRow> = {
  name: 'provider configs',
  kind: providerConfigKind,
  rows: (db) => store.listAllConfigs(db),
  token: (row) => row.config,
  write: (db, row, sealed) => store.replaceSealedConfig(db, row, sealed),
};
