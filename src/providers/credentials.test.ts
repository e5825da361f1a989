import { describe, expect, it } from 'vitest';
import {
  fernetDecrypt,
  fernetKeyFromBytes,
  generateFernetKey,
  parseFernetKey,
} from '../kernel/crypto/fernet.js';
import { hkdfSha256 } from '../kernel/crypto/hkdf.js';
import { ConfigurationError } from '../kernel/errors.js';
import { CredentialError, KeyRing } from './credentials.js';

const INFO = 'plinth/provider-config/v1';

const TENANT = '01a20000-0000-7000-8000-000000000001';
const OTHER_TENANT = '01a20000-0000-7000-8000-000000000002';
const identity = {
  tenant_id: TENANT,
  config_id: 'c1',
  service_type: 'payment_processor',
  provider_key: 'stripe',
};

describe('KeyRing', () => {
  it('derives the per-tenant key exactly as specified (HKDF-SHA256, salt = tenant UUID bytes)', () => {
    const master = generateFernetKey();
    const ring = KeyRing.parse(master);
    const token = ring.seal(TENANT, INFO, identity, { api_key: 'sk_test_1' });
    const m = parseFernetKey(master);
    const ikm = Buffer.concat([m.signing, m.encryption]);
    const salt = Buffer.from(TENANT.replaceAll('-', ''), 'hex');
    const tenantKey = fernetKeyFromBytes(hkdfSha256(ikm, salt, 'plinth/provider-config/v1', 32));
    const plaintext = JSON.parse(fernetDecrypt(tenantKey, token).toString('utf8'));
    expect(plaintext).toEqual({ identity, value: { api_key: 'sk_test_1' } });
  });

  it('refuses a token copied onto another row or another tenant', () => {
    const ring = KeyRing.parse(generateFernetKey());
    const token = ring.seal(TENANT, INFO, identity, { a: 1 });
    expect(() => ring.open(TENANT, INFO, { ...identity, config_id: 'c2' }, token)).toThrow(
      new CredentialError('identity_mismatch'),
    );
    expect(() => ring.open(OTHER_TENANT, INFO, { ...identity, tenant_id: OTHER_TENANT }, token)).toThrow(
      new CredentialError('undecryptable'),
    );
    expect(() => ring.open(TENANT, 'plinth/connection-credentials/v1', identity, token)).toThrow(
      CredentialError,
    );
  });

  it('encrypts with the first key and decrypts with any, flagging stale tokens', () => {
    const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
    const token = KeyRing.parse(oldKey).seal(TENANT, INFO, identity, { v: 'x' });
    const rotated = KeyRing.parse(`${newKey}, ${oldKey}`);
    expect(rotated.open(TENANT, INFO, identity, token)).toEqual({
      value: { v: 'x' },
      stale: true,
    });
    const fresh = rotated.seal(TENANT, INFO, identity, { v: 'x' });
    expect(rotated.open(TENANT, INFO, identity, fresh).stale).toBe(false);
    expect(() => KeyRing.parse(newKey).open(TENANT, INFO, identity, token)).toThrow(CredentialError);
  });

  it('names the variable when a key is invalid, and never echoes it', () => {
    const bad = 'this-is-not-a-fernet-key';
    try {
      KeyRing.parse(`${generateFernetKey()},${bad}`);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      expect((e as Error).message).toContain('PROVIDER_ENCRYPTION_KEY');
      expect((e as Error).message).toContain('#2');
      expect((e as Error).message).not.toContain(bad);
    }
    expect(() => KeyRing.parse(' , ')).toThrow(/PROVIDER_ENCRYPTION_KEY/);
  });
});
