import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../../../kernel/db.js';
import { type KeyRing, open, type SealedColumn, type SealedKind, seal } from '../../../providers/index.js';
import type { TenantKeyRow } from '../tables.js';
import * as store from './store.js';

/** A per-tenant key the module keeps for one purpose (account pseudonyms). */
export const tenantKeyKind: SealedKind<{ tenantId: string; purpose: string }> = {
  name: 'tenant key',
  info: 'plinth/module-keys/v1',
  code: 'tenant_key_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({ tenant_id: row.tenantId, purpose: row.purpose }),
  label: (row) => `${row.tenantId}/${row.purpose}`,
};

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
    await store.insertTenantKey(db, {
      tenantId,
      purpose: PSEUDONYM_PURPOSE,
      sealed: seal(this.keyRing, tenantKeyKind, identity, fresh),
    });
    const row = await store.findTenantKey(db, tenantId, PSEUDONYM_PURPOSE);
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

/** The column `plinth keys rotate` re-seals: the key is re-sealed, never changed, so account ids stay stable. */
export const tenantKeysColumn: SealedColumn<TenantKeyRow> = {
  name: 'aggregation tenant keys',
  kind: tenantKeyKind,
  rows: store.allTenantKeys,
  token: (row) => row.sealed,
  write: store.resealTenantKey,
};
