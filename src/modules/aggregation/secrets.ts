import { createHmac, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../kernel/db.js';
import { ConfigurationError } from '../../kernel/errors.js';
import { type KeyRing, open, type SealedKind, seal } from '../../providers/index.js';
import { type ConnectionRow, tenantKeys } from './store.js';

/**
 * The module's secrets: connection credentials (OAuth grants, API keys), sealed like provider configs under the
 * tenant's derived key with the row's identity inside, and a per-tenant key for account pseudonyms.
 */

/** Connection credentials (OAuth grants, API keys), sealed on the connection row. */
export const connectionCredentialsKind: SealedKind<Pick<ConnectionRow, 'tenantId' | 'id' | 'providerKey'>> = {
  name: 'connection',
  info: 'plinth/connection-credentials/v1',
  code: 'connection_credentials_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({ tenant_id: row.tenantId, connection_id: row.id, provider_key: row.providerKey }),
  label: (row) => row.id,
};

/** A per-tenant key the module keeps for one purpose (account pseudonyms). */
export const tenantKeyKind: SealedKind<{ tenantId: string; purpose: string }> = {
  name: 'tenant key',
  info: 'plinth/module-keys/v1',
  code: 'tenant_key_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({ tenant_id: row.tenantId, purpose: row.purpose }),
  label: (row) => `${row.tenantId}/${row.purpose}`,
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

export const PSEUDONYM_PURPOSE = 'account_pseudonym';

/**
 * Account ids from files are derived from the account number, and account numbers are guessable: a plain hash
 * could be reversed by anyone who reads the table. Each tenant gets a random 256-bit key, created on first use and
 * stored sealed; the stored id is an HMAC under it. Rotating the master key re-seals the key without changing it,
 * so ids stay stable.
 */
export class AccountPseudonyms {
  readonly #keys = new Map<string, Buffer>();

  constructor(private readonly keyRing: KeyRing) {}

  async #key(db: Db, tenantId: string): Promise<Buffer> {
    const cached = this.#keys.get(tenantId);
    if (cached) return cached;
    const identity = { tenantId, purpose: PSEUDONYM_PURPOSE };
    const fresh = randomBytes(32).toString('base64url');
    await db
      .insert(tenantKeys)
      .values({
        tenantId,
        purpose: PSEUDONYM_PURPOSE,
        sealed: seal(this.keyRing, tenantKeyKind, identity, fresh),
      })
      .onConflictDoNothing();
    const [row] = await db
      .select()
      .from(tenantKeys)
      .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.purpose, PSEUDONYM_PURPOSE)));
    const value = open<string, typeof identity>(this.keyRing, tenantKeyKind, identity, row!.sealed);
    const key = Buffer.from(value, 'base64url');
    this.#keys.set(tenantId, key);
    return key;
  }

  /** A function from a source's account id (e.g. the OFX parser's `ofx_…`) to the id stored for this tenant. */
  async forTenant(db: Db, tenantId: string): Promise<(sourceId: string) => string> {
    const key = await this.#key(db, tenantId);
    return (sourceId) => {
      const prefix = /^[a-z]+_/.exec(sourceId)?.[0] ?? '';
      return `${prefix}${createHmac('sha256', key).update(sourceId).digest('hex').slice(0, 32)}`;
    };
  }
}
