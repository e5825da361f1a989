import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStorage, pathUnder } from './client.js';
import { signLocal, verifyLocal } from './signing.js';

const root = mkdtempSync(join(tmpdir(), 'plinth-local-'));
const key = '0190a000-0000-7000-8000-000000000001/0190a000-0000-7000-8000-000000000002';

describe('local document store', () => {
  it('keeps every key under its root', () => {
    expect(pathUnder(root, key)).toBe(join(root, key));
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '.', 'a/./b', 'a\\b', 'a/b\0', '', '..'])
      expect(() => pathUnder(root, bad), bad).toThrow(/invalid document key/);
  });

  it('writes atomically, reads back, and deletes idempotently', async () => {
    const s = new LocalStorage({ root, signingSecret: 's'.repeat(32), now: () => new Date() });
    expect(await s.get(key)).toBeUndefined();
    await s.put(key, new Uint8Array([1, 2, 3]));
    expect([...(await s.get(key))!]).toEqual([1, 2, 3]);
    await s.delete(key);
    await s.delete(key);
    expect(await s.get(key)).toBeUndefined();
  });

  it('signs URLs that verify only for their op, key, type, size and time', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const s = new LocalStorage({ root, signingSecret: 's'.repeat(32), now: () => now });
    const u = await s.getUploadUrl(key, { contentType: 'application/pdf', size: 3, expiresInSeconds: 60 });
    const q = Object.fromEntries(new URL(u.url, 'http://x').searchParams);
    expect(s.verify(key, q)).toMatchObject({ ok: true, params: { op: 'put', size: 3 } });
    expect(s.verify(key.replace(/2$/, '3'), q)).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(s.verify(key, { ...q, size: '4' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(s.verify(key, { ...q, type: 'text/html' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(s.verify(key, { ...q, op: 'get' })).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(s.verify(key, { ...q, signature: 'zz' })).toEqual({ ok: false, reason: 'invalid_signature' });
    const later = verifyLocal('s'.repeat(32), key, q, now.getTime() + 61_000);
    expect(later).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLocal('t'.repeat(32), key, q, now.getTime())).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(signLocal('k', { op: 'get', key, expires: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
