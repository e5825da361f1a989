import { describe, expect, it } from 'vitest';
import { unstorableFields, unstorableText } from './text.js';

describe('unstorable text', () => {
  it('finds NUL characters and lone surrogates, and passes real characters', () => {
    expect(unstorableText('a\u0000b')).toMatch(/NUL/);
    expect(unstorableText('a\ud800b')).toMatch(/surrogate/);
    expect(unstorableText('a\udc00')).toMatch(/surrogate/);
    expect(unstorableText('\ud800')).toMatch(/surrogate/);
    expect(unstorableText('\udbff\udbff\udc00')).toMatch(/surrogate/);
    expect(unstorableText('café 💳 \ud83d\udcb3 ﷽')).toBeUndefined();
    expect(unstorableText('')).toBeUndefined();
  });

  it('names every bad string and key by its path, under a prefix', () => {
    const body = {
      name: 'ok',
      merchant: { name: 'Shop\u0000', tags: ['x', 'y\ud800'] },
      'k\u0000': 1,
    };
    expect(unstorableFields(body)).toEqual([
      { path: 'merchant.name', message: 'contains a NUL character' },
      { path: 'merchant.tags.1', message: 'contains a lone UTF-16 surrogate (not valid Unicode)' },
      { path: '"k\\u0000"', message: 'the field name contains a NUL character' },
    ]);
    expect(unstorableFields({ id: 'a\u0000' }, 'params')).toEqual([
      { path: 'params.id', message: 'contains a NUL character' },
    ]);
    expect(unstorableFields('\u0000')).toEqual([{ path: '(root)', message: 'contains a NUL character' }]);
  });

  it('leaves raw bytes alone and survives hostile nesting', () => {
    expect(unstorableFields({ raw: Buffer.from([0, 0xed, 0xa0, 0x80]) })).toEqual([]);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [issue, ...more] = unstorableFields(deep);
    expect(more).toEqual([]);
    expect(issue?.message).toBe('nested more than 64 levels deep');
    expect(issue?.path.split('.')).toHaveLength(64);
  });
});
