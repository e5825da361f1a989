import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FernetError, fernetDecrypt, fernetEncrypt, generateFernetKey, parseFernetKey } from './fernet.js';
import { hkdfSha256 } from './hkdf.js';

// Published vectors from the Fernet specification repository (fernet/spec: generate.json, verify.json,
// invalid.json).
const SECRET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const TOKEN =
  'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const INVALID: [string, string, string][] = [
  [
    'incorrect mac',
    'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==',
    '1985-10-26T01:20:01-07:00',
  ],
  ['too short', 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==', '1985-10-26T01:20:01-07:00'],
  [
    'invalid base64',
    '%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
    '1985-10-26T01:20:01-07:00',
  ],
  [
    'payload size not multiple of block size',
    'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm',
    '1985-10-26T01:20:01-07:00',
  ],
  [
    'payload padding error',
    'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==',
    '1985-10-26T01:20:01-07:00',
  ],
  [
    'far-future TS (unacceptable clock skew)',
    'gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==',
    '1985-10-26T01:20:01-07:00',
  ],
  [
    'expired TTL',
    'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
    '1985-10-26T01:21:31-07:00',
  ],
  [
    'incorrect IV (causes padding error)',
    'gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==',
    '1985-10-26T01:20:01-07:00',
  ],
];

describe('fernet (spec vectors)', () => {
  const key = parseFernetKey(SECRET);

  it('generates the published token', () => {
    const iv = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const token = fernetEncrypt(key, Buffer.from('hello'), {
      now: new Date('1985-10-26T01:20:00-07:00'),
      iv,
    });
    expect(token).toBe(TOKEN);
  });

  it('verifies the published token', () => {
    const out = fernetDecrypt(key, TOKEN, { now: new Date('1985-10-26T01:20:01-07:00'), ttlSec: 60 });
    expect(out.toString()).toBe('hello');
  });

  it.each(INVALID)('rejects: %s', (_desc, token, now) => {
    expect(() => fernetDecrypt(key, token, { now: new Date(now), ttlSec: 60 })).toThrow(FernetError);
  });

  it('rejects malformed keys', () => {
    expect(() => parseFernetKey('short')).toThrow(FernetError);
    expect(() => parseFernetKey('not base64 at all !!!!!!!!!!!!!!!!!!!!!!!!!')).toThrow(FernetError);
    expect(parseFernetKey(generateFernetKey()).signing).toHaveLength(16);
  });
});

// Python's cryptography package is the reference peer for interoperability. When it is absent the round trip
// through it cannot run; .ci/run installs it so CI always exercises this.
const python = (() => {
  for (const bin of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(bin, ['-c', 'import cryptography.fernet'], { stdio: 'ignore' });
      return bin;
    } catch {}
  }
  return undefined;
})();

describe.runIf(python)('fernet interoperability with Python cryptography', () => {
  it('reads tokens Python makes, and Python reads ours', () => {
    const secret = generateFernetKey();
    const key = parseFernetKey(secret);
    const script = `
import sys
from cryptography.fernet import Fernet
f = Fernet(sys.argv[1].encode())
print(f.encrypt(b'{"api_key":"sk_live_\\xc3\\xa9"}').decode())
print(f.decrypt(sys.argv[2].encode()).decode())
`;
    const ours = fernetEncrypt(key, Buffer.from('plinth → python'));
    const [theirs, decoded] = execFileSync(python!, ['-c', script, secret, ours])
      .toString()
      .trim()
      .split('\n');
    expect(decoded).toBe('plinth → python');
    expect(fernetDecrypt(key, theirs!).toString()).toBe('{"api_key":"sk_live_é"}');
  });
});

describe('HKDF-SHA256 (RFC 5869 Appendix A)', () => {
  const hex = (s: string) => Buffer.from(s, 'hex');
  const range = (from: number, to: number) =>
    Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

  it('test case 1', () => {
    const okm = hkdfSha256(
      Buffer.alloc(22, 0x0b),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(okm.toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('test case 2 (long inputs)', () => {
    const okm = hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
    expect(okm.toString('hex')).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
        '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
        'cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });

  it('test case 3 (empty salt and info)', () => {
    const okm = hkdfSha256(Buffer.alloc(22, 0x0b), Buffer.alloc(0), Buffer.alloc(0), 42);
    expect(okm.toString('hex')).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});
