import { describe, expect, it } from 'vitest';
import { etagOf, parseIfMatch, satisfies } from './etag.js';

describe('If-Match', () => {
  const versions = (h: string | undefined) => {
    const r = parseIfMatch(h);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it('asks nothing when absent or "*"', () => {
    expect(versions(undefined)).toBeNull();
    expect(versions(' * ')).toBeNull();
    expect(satisfies(null, 7)).toBe(true);
  });

  it('reads a list of strong tags; weak tags and tags that are no version of ours match nothing', () => {
    expect(versions(`${etagOf(3)}, "4"`)).toEqual([3, 4]);
    expect(versions('W/"3"')).toEqual([]);
    expect(versions('"abc", "0"')).toEqual([]);
    expect(satisfies([3, 4], 4)).toBe(true);
    expect(satisfies([], 4)).toBe(false);
  });

  it('refuses a header that is not entity tags', () => {
    for (const bad of ['3', '"3', 'W/3', '"3" "4"']) {
      const r = parseIfMatch(bad);
      expect(r.ok ? null : r.error).toMatchObject({ kind: 'invalid', code: 'invalid_if_match' });
    }
  });
});
