import { ConfigurationError } from '../../../kernel/errors.js';
import { type KeyRing, open, type SealedColumn, type SealedKind, seal } from '../../../providers/index.js';
import type { ConnectionRow } from '../tables.js';
import * as store from './store.js';

/**
 * A connection's credentials (OAuth grants, API keys), sealed like provider configs under the tenant's derived key
 * with the row's identity inside, so a token copied to another row does not open. They never leave the row.
 */

export const connectionCredentialsKind: SealedKind<Pick<ConnectionRow, 'tenantId' | 'id' | 'providerKey'>> = {
  name: 'connection',
  info: 'plinth/connection-credentials/v1',
  code: 'connection_credentials_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({ tenant_id: row.tenantId, connection_id: row.id, provider_key: row.providerKey }),
  label: (row) => row.id,
};

export function sealCredentials(
  keyRing: KeyRing,
  row: Pick<ConnectionRow, 'tenantId' | 'id' | 'providerKey'>,
  value: unknown,
): string {
  return seal(keyRing, connectionCredentialsKind, row, value);
}

export function openCredentials<T>(keyRing: KeyRing, row: ConnectionRow): T {
  if (!row.credentials) throw new ConfigurationError(`connection ${row.id} holds no credentials`);
  return open<T, ConnectionRow>(keyRing, connectionCredentialsKind, row, row.credentials);
}

/** The column `plinth keys rotate` re-seals. */
export const connectionCredentialsColumn: SealedColumn<ConnectionRow> = {
  name: 'connection credentials',
  kind: connectionCredentialsKind,
  rows: store.connectionsWithCredentials,
  token: (row) => row.credentials!,
  write: store.resealCredentials,
};
