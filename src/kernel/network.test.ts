import { describe, expect, it } from 'vitest';
import { isNonPublicAddress, isNonPublicHost, publicOnlyLookup } from './network.js';

describe('non-public addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    '[::1]',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
  ])('%s is not public', (a) => expect(isNonPublicAddress(a)).toBe(true));

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    'example.com',
  ])('%s is public (or not an address)', (a) => expect(isNonPublicAddress(a)).toBe(false));

  it('localhost names are this machine whatever DNS says', () => {
    expect(isNonPublicHost('localhost')).toBe(true);
    expect(isNonPublicHost('api.localhost')).toBe(true);
    expect(isNonPublicHost('LOCALHOST.')).toBe(true);
    expect(isNonPublicHost('localhost.example.com')).toBe(false);
  });

  it('a lookup that resolves to a non-public address fails', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (e) => resolve(e)),
    );
    expect(err?.code).toBe('ENONPUBLIC');
  });
});
