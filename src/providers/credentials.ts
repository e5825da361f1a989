import { isDeepStrictEqual } from 'node:util';
import {
  FernetError,
  type FernetKey,
  fernetDecrypt,
  fernetEncrypt,
  fernetKeyFromBytes,
  parseFernetKey,
} from '../kernel/crypto/fernet.js';
import { hkdfSha256 } from '../kernel/crypto/hkdf.js';
import { ConfigurationError } from '../kernel/errors.js';
import { uuidBytes } from '../kernel/ids.js';

export class CredentialError extends Error {
  constructor(readonly reason: 'undecryptable' | 'identity_mismatch') {
    super(
      reason === 'undecryptable'
        ? 'credentials cannot be decrypted with any key in PROVIDER_ENCRYPTION_KEY'
        : 'credentials belong to another record (a token copied across rows)',
    );
    this.name = 'CredentialError';
  }
}

export interface Opened<T> {
  value: T;
  /** Sealed under an older master key: `plinth keys rotate` re-encrypts it. */
  stale: boolean;
}

/**
 * Master keys from PROVIDER_ENCRYPTION_KEY (comma-separated Fernet keys; the first encrypts, all decrypt). Each
 * tenant gets its own Fernet key: HKDF-SHA256(IKM = the master key's 32 bytes, salt = the tenant UUID's 16 bytes,
 * info, 32 bytes). The plaintext names the record it belongs to, and opening checks that name, so a token copied
 * onto another row, or another tenant's row, does not open.
 */
export class KeyRing {
  readonly #masters: Buffer[];
  readonly #derived = new Map<string, FernetKey>();

  constructor(masterKeys: readonly string[]) {
    if (masterKeys.length === 0) throw new ConfigurationError('PROVIDER_ENCRYPTION_KEY holds no key');
    this.#masters = masterKeys.map((k, i) => {
      try {
        const key = parseFernetKey(k);
        return Buffer.concat([key.signing, key.encryption]);
      } catch {
        throw new ConfigurationError(
          `PROVIDER_ENCRYPTION_KEY: key #${i + 1} is not a Fernet key (base64url of 32 bytes)`,
        );
      }
    });
  }

  static parse(value: string): KeyRing {
    return new KeyRing(
      value
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    );
  }

  get size(): number {
    return this.#masters.length;
  }

  #tenantKey(master: number, tenantId: string, info: string): FernetKey {
    const cacheKey = `${master}|${tenantId}|${info}`;
    let key = this.#derived.get(cacheKey);
    if (!key) {
      key = fernetKeyFromBytes(hkdfSha256(this.#masters[master]!, uuidBytes(tenantId), info, 32));
      this.#derived.set(cacheKey, key);
    }
    return key;
  }

  seal(tenantId: string, info: string, identity: Record<string, string>, value: unknown): string {
    const plaintext = Buffer.from(JSON.stringify({ identity, value }), 'utf8');
    return fernetEncrypt(this.#tenantKey(0, tenantId, info), plaintext);
  }

  open<T>(tenantId: string, info: string, identity: Record<string, string>, token: string): Opened<T> {
    for (let i = 0; i < this.#masters.length; i++) {
      let plaintext: Buffer;
      try {
        plaintext = fernetDecrypt(this.#tenantKey(i, tenantId, info), token);
      } catch (e) {
        if (e instanceof FernetError) continue;
        throw e;
      }
      const parsed = JSON.parse(plaintext.toString('utf8')) as { identity: unknown; value: T };
      if (!isDeepStrictEqual(parsed.identity, identity)) throw new CredentialError('identity_mismatch');
      return { value: parsed.value, stale: i > 0 };
    }
    throw new CredentialError('undecryptable');
  }
}
