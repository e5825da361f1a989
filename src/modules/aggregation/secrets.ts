import { createHmac, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../kernel/db.js';
import { ConfigurationError } from '../../kernel/errors.js';
import {
  CONNECTION_CREDENTIALS_INFO,
  CredentialError,
  type KeyRing,
  MODULE_KEYS_INFO,
} from '../../providers/credentials.js';
import { type ConnectionRow, tenantKeys } from './store.js';

/**
 * The module's secrets: connection credentials (OAuth grants, API keys), sealed like provider configs under the
 * tenant's derived key with the row's identity inside, and a per-tenant key for account pseudonyms.
 */

export const connectionIdentity = (row: Pick<ConnectionRow, 'tenantId' | 'id' | 'providerKey'>) => ({
  tenant_id: row.tenantId,
  connection_id: row.id,
  provider_key: row.providerKey,
});

export function sealCredentials(
  keyRing: KeyRing,
  row: Pick<ConnectionRow, 'tenantId' | 'id' | 'providerKey'>,
  value: unknown,
): string {
  return keyRing.seal(row.tenantId, CONNECTION_CREDENTIALS_INFO, connectionIdentity(row), value);
}

/** A wrong key or a token copied from another row is a configuration error that names no secret. */
export function openCredentials<T>(keyRing: KeyRing, row: ConnectionRow): T {
  if (!row.credentials) throw new ConfigurationError(`connection ${row.id} holds no credentials`);
  try {
    return keyRing.open<T>(
      row.tenantId,
      CONNECTION_CREDENTIALS_INFO,
      connectionIdentity(row),
      row.credentials,
    ).value;
  } catch (e) {
    if (e instanceof CredentialError)
      throw new ConfigurationError(
        `connection ${row.id}: ${e.message}`,
        'connection_credentials_undecryptable',
      );
    throw e;
  }
}

export const PSEUDONYM_PURPOSE = 'account_pseudonym';
export const tenantKeyIdentity = (tenantId: string, purpose: string) => ({ tenant_id: tenantId, purpose });

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
    const identity = tenantKeyIdentity(tenantId, PSEUDONYM_PURPOSE);
    const fresh = randomBytes(32).toString('base64url');
    await db
      .insert(tenantKeys)
      .values({
        tenantId,
        purpose: PSEUDONYM_PURPOSE,
        sealed: this.keyRing.seal(tenantId, MODULE_KEYS_INFO, identity, fresh),
      })
      .onConflictDoNothing();
    const [row] = await db
      .select()
      .from(tenantKeys)
      .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.purpose, PSEUDONYM_PURPOSE)));
    let value: string;
    try {
      value = this.keyRing.open<string>(tenantId, MODULE_KEYS_INFO, identity, row!.sealed).value;
    } catch (e) {
      if (e instanceof CredentialError)
        throw new ConfigurationError(`account pseudonym key: ${e.message}`, 'tenant_key_undecryptable');
      throw e;
    }
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
