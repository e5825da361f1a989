import { describe, expect, it } from 'vitest';
import { maskConfig, maskSecret, mergeConfig } from './masking.js';

describe('masking', () => {
  it('keeps a known vendor prefix and the last four', () => {
    expect(maskSecret('sk_live_51HxyzABCDEF1234')).toBe('sk_live_...***1234');
    expect(maskSecret('whsec_0123456789abcdef')).toBe('whsec_...***cdef');
    expect(maskSecret('SG.abcdefgh.ijklmnopqrstuvwxyz')).toBe('SG....***wxyz');
    expect(maskSecret('abcdefghijklmnop')).toBe('...***mnop');
    expect(maskSecret('short')).toBe('***');
    expect(maskSecret({ nested: 'x' })).toBe('***');
  });

  it('reveals nothing else: no unknown prefix, nothing of a short secret', () => {
    // Before: up to eight characters before the first underscore were shown as a "prefix".
    expect(maskSecret('Tr0ub4dor_3x9QmZp2Lk7W')).toBe('...***Lk7W');
    expect(maskSecret('a1b2c3d4_e5f6g7h8i9j0')).toBe('...***i9j0');
    expect(maskSecret('whsec_')).toBe('***');
    expect(maskSecret('whsec_abcdefgh1')).toBe('***');
    expect(maskSecret('0123456789abcde')).toBe('***');
    expect(maskSecret('sk_live_abcdefgh')).toBe('...***efgh');
  });

  it('masks nested secret paths and leaves the original alone', () => {
    const config = { oauth: { client_secret: 'cs_abcdefgh12345678', client_id: 'id' }, region: 'us' };
    expect(maskConfig(config, ['oauth.client_secret', 'missing'])).toEqual({
      oauth: { client_secret: '...***5678', client_id: 'id' },
      region: 'us',
    });
    expect(config.oauth.client_secret).toBe('cs_abcdefgh12345678');
  });

  it('merges a patch, keeping omitted or masked secrets', () => {
    const current = { api_key: 'sk_live_aaaaaaaa1111', region: 'us', webhook_secret: 'whsec_bbbbbbbb2222' };
    expect(mergeConfig(current, { region: 'eu' }, ['api_key', 'webhook_secret'])).toEqual({
      ...current,
      region: 'eu',
    });
    expect(mergeConfig(current, { api_key: 'sk_live_...***1111' }, ['api_key'])).toEqual(current);
    expect(mergeConfig(current, { api_key: 'sk_live_new_00000000' }, ['api_key']).api_key).toBe(
      'sk_live_new_00000000',
    );
  });
});
